using System.Text.Json.Nodes;
using Agents.Producers.Api;

namespace Agents.Producers.Handlers.Discovery;

/// <summary>
/// listApis, as CloudStack's ApiDiscoveryService answers it: every command the caller may call,
/// from the same registry that dispatches them, each with its parameters and response fields.
/// CloudMonkey's <c>sync</c> and the CloudStack UI build themselves from this answer, so the
/// field names and JSON types are CloudStack's (isasync and required are booleans, length a number).
/// </summary>
public sealed class ListApisHandler(IServiceProvider services) : IApiHandler
{
    private static readonly ApiParameter Name = new("name", ApiParameterType.String, "API name");

    // the registry holds this handler too: resolved on use, not in the constructor
    private ApiRegistry Registry => services.GetRequiredService<ApiRegistry>();

    public ApiDefinition Definition { get; } = new("listApis", "lists all available apis on the server, provided by the Api Discovery plugin")
    {
        Since = "4.1.0",
        Parameters = [Name],
        ResponseObject = "api",
        Response =
        [
            ApiResponseField.String("name", "the name of the api command"), ApiResponseField.String("description", "description of the api"),
            ApiResponseField.String("since", "version of CloudStack the api was introduced in"), ApiResponseField.Boolean("isasync", "true if api is asynchronous"),
            ApiResponseField.String("related", "comma separated related apis"),
            new("params", "set", "the list params the api accepts",
            [
                ApiResponseField.String("name", "the name of the api parameter"), ApiResponseField.String("description", "description of the api parameter"),
                ApiResponseField.String("type", "parameter type"), ApiResponseField.Integer("length", "length of the parameter"),
                ApiResponseField.Boolean("required", "true if this parameter is required for the api request"),
                ApiResponseField.String("since", "version of CloudStack the api was introduced in"), ApiResponseField.String("related", "comma separated related apis to get the parameter"),
            ]),
            new("response", "set", "api response fields",
            [
                ApiResponseField.String("name", "The name of the API response field"), ApiResponseField.String("description", "Description of the API response field"),
                ApiResponseField.String("type", "Response field type"), new("response", "set", "API response fields"),
            ]),
        ],
    };

    public Task<JsonObject> HandleAsync(ApiCall call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        var registry = Registry;
        var visible = registry.All.Select(h => h.Definition).Where(d => ApiRegistry.Allows(call.Caller, d)).ToList();
        if (call.Optional(Name) is { } name)
        {
            visible = visible.Where(d => d.Name == name).ToList();
            if (visible.Count == 0)
                throw new ApiException(ApiErrorCode.InternalError, "Api Discovery plugin was unable to find an api by that name or process any apis");
        }
        return Task.FromResult(ApiFormat.List("api", visible.Select(d => Render(registry, d)), visible.Count));
    }

    private static JsonObject Render(ApiRegistry registry, ApiDefinition d)
    {
        var api = new JsonObject { ["name"] = d.Name, ["description"] = d.Description };
        if (d.Since is not null) api["since"] = d.Since;
        api["isasync"] = d.IsAsync;
        if (registry.RelatedOf(d) is { Count: > 0 } related) api["related"] = string.Join(',', related);
        api["params"] = new JsonArray([.. d.Parameters.Select(p => Parameter(registry, p))]);
        api["response"] = Fields(d.Response);
        return api;
    }

    private static JsonObject Parameter(ApiRegistry registry, ApiParameter p)
    {
        var o = new JsonObject
        {
            ["name"] = p.Name,
            ["description"] = p.Description,
            ["type"] = p.Type.ToString().ToLowerInvariant(),
            ["length"] = p.Length,
            ["required"] = p.Required,
        };
        if (p.Since is not null) o["since"] = p.Since;
        if (registry.RelatedOf(p) is { Count: > 0 } related) o["related"] = string.Join(',', related);
        return o;
    }

    private static JsonArray Fields(IEnumerable<ApiResponseField> fields) => new([.. fields.Select(f =>
    {
        var o = new JsonObject { ["name"] = f.Name, ["description"] = f.Description, ["type"] = f.Type };
        if (f.Fields is { Count: > 0 } inner) o["response"] = Fields(inner);
        return o;
    })]);
}
