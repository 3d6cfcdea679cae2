using System.Text.Json.Nodes;
using Agents.Contracts.Events;
using Agents.Producers.Api;
using Agents.Producers.Handlers.Routers;
using Agents.Producers.Inventory;
using Agents.Producers.Presence;

namespace Agents.Producers.Handlers.SystemVms;

/// <summary>
/// getSystemVmHealthCheckResults (admin; this framework's, shaped as getRouterHealthCheckResults): a
/// secondary storage or console proxy VM's health checks, run by its agent. With performfreshchecks=true
/// the checks run now and their results are kept; without, the results kept from the last run.
/// </summary>
public sealed class GetSystemVmHealthCheckResultsHandler(IVmInventory inventory, IAgentDirectory directory, FreshHealthChecks fresh) : IApiHandler
{
    public const string ObjectName = "systemvmhealthchecks";

    private static readonly ApiParameter Id = new("id", ApiParameterType.Uuid, "the ID of the system VM (SSVM or CPVM)") { Required = true, Entity = SystemVmResponse.ObjectName };

    public ApiDefinition Definition { get; } = new("getSystemVmHealthCheckResults", "Returns the health check results of a secondary storage or console proxy VM, as getRouterHealthCheckResults does for a router")
    {
        Since = "agents-1.0",
        Access = ApiAccess.Admin,
        Parameters = [Id, FreshHealthChecks.PerformFreshChecks, FreshHealthChecks.CheckType],
        ResponseObject = ObjectName,
        Response =
        [
            ApiResponseField.String("systemvmid", "the ID of the system VM"),
            ApiResponseField.String("systemvmtype", "the system VM type"),
            .. RouterHealthCheckResponse.Fields.Where(f => f.Name == "healthchecks"),
        ],
    };

    public async Task<JsonObject> HandleAsync(ApiCall call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        var id = call.RequiredId(Id);
        var vm = await inventory.FindAsync(id, ct).ConfigureAwait(false);
        if (vm is not { IsSystemVm: true }) throw ApiException.NotFound($"system VM {id}");
        var checks = new JsonArray();
        if (call.OptionalBool(FreshHealthChecks.PerformFreshChecks))
        {
            var what = $"{vm.SystemVmType} {vm.Id}";
            foreach (var result in await fresh.RunAsync(call, ResourceTypes.SystemVm, vm.Id, vm.RouterId, vm.Id, what, ct).ConfigureAwait(false))
            {
                // kept beside the routers' (keyed by the system VM's id) for the next call without performfreshchecks
                await directory.RecordAsync(new HealthCheckInfo(vm.Id, result.CheckName, result.CheckType.ToString(), result.Success, result.Details, result.LastUpdated), ct).ConfigureAwait(false);
                checks.Add(RouterHealthCheckResponse.Check(result.CheckName, result.CheckType.ToString(), result.Success, result.Details, result.LastUpdated));
            }
        }
        else
        {
            foreach (var check in await directory.HealthAsync(vm.Id, ct).ConfigureAwait(false))
                checks.Add(RouterHealthCheckResponse.Check(check.CheckName, check.CheckType, check.Success, check.Details, check.LastUpdated));
        }
        return new JsonObject { [ObjectName] = new JsonObject { ["systemvmid"] = vm.Id, ["systemvmtype"] = vm.SystemVmType, ["healthchecks"] = checks } };
    }
}
