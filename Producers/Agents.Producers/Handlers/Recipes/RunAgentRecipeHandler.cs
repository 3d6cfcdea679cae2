using System.Text.Json.Nodes;
using Agents.Contracts.Commands;
using Agents.Contracts.Events;
using Agents.Producers.Api;
using Agents.Producers.Handlers.Routers;
using Agents.Producers.Handlers.VirtualMachines;
using Agents.Producers.Inventory;
using Agents.Producers.Jobs;
using Microsoft.Extensions.Options;

namespace Agents.Producers.Handlers.Recipes;

/// <summary>
/// runAgentRecipe: a named recipe on one VM or many (virtualmachineids, or every VM of routerid),
/// with maxconcurrency and maxerrors. The agent runs it only if its local policy allows it.
/// </summary>
public sealed class RunAgentRecipeHandler(VmAccess vms, IVmInventory inventory, JobLauncher jobs, IOptions<ProducersOptions> options) : IApiHandler
{
    private static readonly ApiParameter Name = new("name", ApiParameterType.String, "the recipe's name") { Required = true };
    private static readonly ApiParameter VirtualMachineId = new("virtualmachineid", ApiParameterType.Uuid, "the VM to run it on") { Entity = VirtualMachineResponse.ObjectName };
    private static readonly ApiParameter VirtualMachineIds = new("virtualmachineids", ApiParameterType.List, "the VMs to run it on") { Entity = VirtualMachineResponse.ObjectName, Length = 1_048_576 };
    private static readonly ApiParameter RouterId = new("routerid", ApiParameterType.Uuid, "run it on every VM this router serves") { Entity = RouterHealthCheckResponse.ObjectName };

    public ApiDefinition Definition { get; } = new("runAgentRecipe", "Runs a recipe through the VMs' agents, on one VM or many [async]")
    {
        Since = "agents-1.0",
        IsAsync = true,
        Parameters = [Name, VirtualMachineId, VirtualMachineIds, RouterId, .. RecipeRequest.All],
        ResponseObject = AgentJobResponse.ObjectName,
        Response = AgentJobResponse.Fields,
    };

    public async Task<JsonObject> HandleAsync(ApiCall call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        var recipe = RecipeRequest.From(call, call.Required(Name));
        var targets = new List<VirtualMachine>();
        foreach (var id in call.IdList(VirtualMachineIds).Concat(call.OptionalId(VirtualMachineId) is { } one ? [one] : Array.Empty<string>()).Distinct())
            targets.Add(await vms.RequireAsync(call, id, ct).ConfigureAwait(false));
        if (call.OptionalId(RouterId) is { } routerId)
        {
            var account = call.Caller.IsAdmin ? null : call.Caller.Account;
            targets.AddRange((await inventory.ListAsync(account, routerId, null, ct).ConfigureAwait(false)).Where(vm => targets.All(t => t.Id != vm.Id)));
        }
        if (targets.Count == 0) throw ApiException.Missing(call.Command, VirtualMachineIds.Name);
        var fanOut = FanOut.From(call, targets.Count, options.Value.Provisioning.DefaultMaxConcurrency);
        var job = await jobs.LaunchAsync(call, targets.Count == 1 ? ResourceTypes.VirtualMachine : null, targets.Count == 1 ? targets[0].Id : null,
            targets.Select(vm => new TargetSpec(vm.RouterId, vm.Id, CommandTypes.RunRecipe, recipe)).ToList(),
            fanOut.MaxConcurrency, fanOut.MaxErrors, new JsonObject { ["recipe"] = recipe.Name }, ct: ct).ConfigureAwait(false);
        return ApiFormat.Async(job.Id, targets.Count == 1 ? targets[0].Id : null);
    }
}
