using System.Text.Json.Nodes;
using Agents.Contracts.Events;
using Agents.Producers.Api;
using Agents.Producers.Presence;

namespace Agents.Producers.Handlers.Routers;

/// <summary>
/// getRouterHealthCheckResults (admin): the last results the router's bridge published; with
/// performfreshchecks=true the checks run now (a RunHealthChecks command) and the call waits for them.
/// </summary>
public sealed class GetRouterHealthCheckResultsHandler(IAgentDirectory directory, FreshHealthChecks fresh) : IApiHandler
{
    private static readonly ApiParameter RouterId = new("routerid", ApiParameterType.Uuid, "the ID of the router") { Required = true, Entity = RouterHealthCheckResponse.ObjectName };

    public ApiDefinition Definition { get; } = new("getRouterHealthCheckResults", "Starts a router.")
    {
        Since = "4.14.0",
        Access = ApiAccess.Admin,
        Parameters = [RouterId, FreshHealthChecks.PerformFreshChecks, FreshHealthChecks.CheckType],
        ResponseObject = RouterHealthCheckResponse.ObjectName,
        Response = RouterHealthCheckResponse.Fields,
    };

    public async Task<JsonObject> HandleAsync(ApiCall call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        var routerId = call.RequiredId(RouterId);
        var checks = new JsonArray();
        if (call.OptionalBool(FreshHealthChecks.PerformFreshChecks))
        {
            foreach (var result in await fresh.RunAsync(call, ResourceTypes.DomainRouter, routerId, routerId, null, $"router {routerId}", ct).ConfigureAwait(false))
                checks.Add(RouterHealthCheckResponse.Check(result.CheckName, result.CheckType.ToString(), result.Success, result.Details, result.LastUpdated));
        }
        else
        {
            foreach (var check in await directory.HealthAsync(routerId, ct).ConfigureAwait(false))
                checks.Add(RouterHealthCheckResponse.Check(check.CheckName, check.CheckType, check.Success, check.Details, check.LastUpdated));
        }
        return new JsonObject { [RouterHealthCheckResponse.ObjectName] = new JsonObject { ["routerid"] = routerId, ["healthchecks"] = checks } };
    }
}
