using System.Text.Json.Nodes;
using Agents.Contracts.Ca;
using Agents.Producers.Api;

namespace Agents.Producers.Handlers.Certificates;

public sealed class ListCaProvidersHandler(CaClient ca) : IApiHandler
{
    private static readonly ApiParameter Name = new("name", ApiParameterType.String, "List CA service provider by name");

    public ApiDefinition Definition { get; } = new("listCAProviders", "Lists available certificate authority providers in CloudStack")
    {
        Since = "4.11.0",
        Access = ApiAccess.Admin,
        Parameters = [Name, .. ListParameters.Paging],
        ResponseObject = "caprovider",
        Response = [ApiResponseField.String("name", "the CA service provider name"), ApiResponseField.String("description", "the description of the CA service provider")],
    };

    public async Task<JsonObject> HandleAsync(ApiCall call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        var page = call.Page();
        var providers = await ca.CallAsync<CaProviders>(new ListCaProviders { Name = call.Optional(Name) }, ct).ConfigureAwait(false);
        var rows = providers.Providers.Where(p => page.Matches(p.Name, p.Description)).ToList();
        return ApiFormat.Page("caprovider", rows, page, p => new JsonObject { ["name"] = p.Name, ["description"] = p.Description });
    }
}
