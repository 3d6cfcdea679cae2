using System.Text.Json.Nodes;
using Agents.Contracts.Commands;
using Agents.Contracts.Events;
using Agents.Producers.Api;
using Agents.Producers.Handlers.Routers;
using Agents.Producers.Inventory;
using Agents.Producers.Jobs;
using Microsoft.Extensions.Options;

namespace Agents.Producers.Handlers.Recipes;

/// <summary>
/// patchSystemVm (admin): a recipe (package-upgrade by default) on system VMs: routers (run by their
/// bridge) and registered secondary storage and console proxy VMs (run by their agent, through the
/// bridge they connect to); id, ids, or all=true. Each one is a target of the job with its own outcome.
/// </summary>
public sealed class PatchSystemVmHandler(IVmInventory inventory, JobLauncher jobs, IOptions<ProducersOptions> options) : IApiHandler
{
    public const string DefaultRecipe = "package-upgrade";

    private static readonly ApiParameter Id = new("id", ApiParameterType.Uuid, "patches the system VM (a router, an SSVM or a CPVM) with this ID") { Entity = RouterHealthCheckResponse.ObjectName };
    private static readonly ApiParameter Ids = new("ids", ApiParameterType.List, "the system VMs (routers, SSVMs, CPVMs) to patch") { Entity = RouterHealthCheckResponse.ObjectName, Length = 1_048_576 };
    private static readonly ApiParameter All = new("all", ApiParameterType.Boolean, "patch every router that serves a registered VM and every registered SSVM and CPVM");
    private static readonly ApiParameter Recipe = new("recipe", ApiParameterType.String, $"the recipe to run ({DefaultRecipe} when absent)");

    public ApiDefinition Definition { get; } = new("patchSystemVm", "Attempts to live patch systemVMs - CPVM, SSVM, and virtual routers [async]")
    {
        Since = "4.17.0",
        IsAsync = true,
        Access = ApiAccess.Admin,
        Parameters = [Id, Ids, All, Recipe, .. RecipeRequest.All],
        ResponseObject = AgentJobResponse.ObjectName,
        Response = AgentJobResponse.Fields,
    };

    public async Task<JsonObject> HandleAsync(ApiCall call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        var recipe = RecipeRequest.From(call, call.Optional(Recipe) ?? DefaultRecipe);
        var ids = call.IdList(Ids).Concat(call.OptionalId(Id) is { } one ? [one] : Array.Empty<string>()).Distinct(StringComparer.Ordinal).ToList();
        var targets = new List<TargetSpec>();
        foreach (var id in ids)
            targets.Add(await TargetAsync(id, recipe, ct).ConfigureAwait(false));
        if (call.OptionalBool(All))
        {
            targets.AddRange((await inventory.RouterIdsAsync(ct).ConfigureAwait(false)).Select(r => new TargetSpec(r, null, CommandTypes.RunRecipe, recipe)));
            targets.AddRange((await inventory.ListSystemVmsAsync(null, null, ct).ConfigureAwait(false)).Select(vm => new TargetSpec(vm.RouterId, vm.Id, CommandTypes.RunRecipe, recipe)));
            targets = targets.DistinctBy(t => t.VmId ?? t.RouterId, StringComparer.Ordinal).ToList();
        }
        if (targets.Count == 0) throw ApiException.Missing(call.Command, Id.Name);
        var fanOut = FanOut.From(call, targets.Count, options.Value.Provisioning.DefaultMaxConcurrency);
        var single = targets.Count == 1 ? targets[0] : null;
        var job = await jobs.LaunchAsync(call, single is null ? null : single.VmId is null ? ResourceTypes.DomainRouter : ResourceTypes.SystemVm, single?.VmId ?? single?.RouterId,
            targets, fanOut.MaxConcurrency, fanOut.MaxErrors, new JsonObject { ["recipe"] = recipe.Name }, ct: ct).ConfigureAwait(false);
        return ApiFormat.Async(job.Id, single?.VmId ?? single?.RouterId);
    }

    /// <summary>A registered SSVM or CPVM is patched by its agent; any other id names a router, patched by its bridge; a user VM is refused.</summary>
    private async Task<TargetSpec> TargetAsync(string id, RunRecipe recipe, CancellationToken ct)
    {
        var vm = await inventory.FindAsync(id, ct).ConfigureAwait(false);
        if (vm is null) return new TargetSpec(id, null, CommandTypes.RunRecipe, recipe);
        if (!vm.IsSystemVm) throw ApiException.Parameter($"{id} is a user VM, not a system VM: runAgentRecipe runs recipes on user VMs");
        return new TargetSpec(vm.RouterId, vm.Id, CommandTypes.RunRecipe, recipe);
    }
}
