using System.Text.Json.Nodes;
using Agents.Contracts.Ca;
using Agents.Producers.Api;

namespace Agents.Producers.Handlers.Certificates;

public sealed class ListCaCertificateHandler(CaClient ca) : IApiHandler
{
    private static readonly ApiParameter Provider = new("provider", ApiParameterType.String, "Name of the CA service provider, otherwise the default configured provider plugin will be used");

    public ApiDefinition Definition { get; } = new("listCaCertificate", "Lists the CA public certificate(s) as support by the configured/provided CA plugin")
    {
        Since = "4.11.0",
        Parameters = [Provider],
        ResponseObject = CertificateResponse.ObjectName,
        Response = [ApiResponseField.String("certificate", "The CA certificate"), ApiResponseField.String("provider", "the CA provider"), ApiResponseField.String("crlurl", "where the CRL is published")],
    };

    public async Task<JsonObject> HandleAsync(ApiCall call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        var certificate = await ca.CallAsync<CaCertificate>(new GetCaCertificate { Provider = call.Optional(Provider) }, ct).ConfigureAwait(false);
        return new JsonObject { ["cacertificates"] = new JsonObject { ["certificate"] = certificate.Certificate, ["provider"] = certificate.Provider }.With("crlurl", certificate.CrlUrl) };
    }
}
