using System.Text.Json.Nodes;
using Agents.Contracts.Commands;
using Agents.Contracts.Events;
using Agents.Producers.Api;
using Agents.Producers.Inventory;
using Agents.Producers.Jobs;
using Microsoft.Extensions.Options;
using Newtonsoft.Json.Linq;

namespace Agents.Producers.Commands;

/// <summary>
/// runAgentRecipe: a named recipe on one VM or many (virtualmachineids, or every VM of routerid),
/// with maxconcurrency and maxerrors. The agent runs it only if its local policy allows it.
/// </summary>
public sealed class RunAgentRecipe(VmAccess vms, IVmInventory inventory, JobLauncher jobs, IOptions<ProducersOptions> options) : IApiCommand
{
    public string Name => "runAgentRecipe";

    public async Task<JObject> ExecuteAsync(ApiCall call, CancellationToken ct)
    {
        var recipe = Recipes.From(call, call.Required("name"));
        var targets = new List<VirtualMachine>();
        foreach (var id in call.IdList("virtualmachineids").Concat(call.OptionalId("virtualmachineid") is { } one ? [one] : Array.Empty<string>()).Distinct())
            targets.Add(await vms.RequireAsync(call, id, ct).ConfigureAwait(false));
        if (call.OptionalId("routerid") is { } routerId)
        {
            var account = call.Caller.IsAdmin ? null : call.Caller.Account;
            targets.AddRange((await inventory.ListAsync(account, routerId, null, ct).ConfigureAwait(false)).Where(vm => targets.All(t => t.Id != vm.Id)));
        }
        if (targets.Count == 0) throw ApiException.Missing("virtualmachineids");
        var fanOut = FanOut.From(call, targets.Count, options.Value.Provisioning.DefaultMaxConcurrency);
        var job = await jobs.LaunchAsync(call, targets.Count == 1 ? ResourceTypes.VirtualMachine : null, targets.Count == 1 ? targets[0].Id : null,
            targets.Select(vm => new TargetSpec(vm.RouterId, vm.Id, CommandTypes.RunRecipe, recipe)).ToList(),
            fanOut.MaxConcurrency, fanOut.MaxErrors, new JsonObject { ["recipe"] = recipe.Name }, ct: ct).ConfigureAwait(false);
        return ApiFormat.Async(job.Id, targets.Count == 1 ? targets[0].Id : null);
    }
}

/// <summary>patchSystemVm (admin): a recipe (package-upgrade by default) on routers themselves: id, ids, or all=true.</summary>
public sealed class PatchSystemVm(IVmInventory inventory, JobLauncher jobs, IOptions<ProducersOptions> options) : IApiCommand
{
    public const string DefaultRecipe = "package-upgrade";

    public string Name => "patchSystemVm";
    public bool AdminOnly => true;

    public async Task<JObject> ExecuteAsync(ApiCall call, CancellationToken ct)
    {
        var recipe = Recipes.From(call, call.Optional("recipe") ?? DefaultRecipe);
        var routers = call.IdList("ids").Concat(call.OptionalId("id") is { } one ? [one] : Array.Empty<string>()).ToList();
        if (call.OptionalBool("all")) routers.AddRange(await inventory.RouterIdsAsync(ct).ConfigureAwait(false));
        routers = routers.Distinct(StringComparer.Ordinal).ToList();
        if (routers.Count == 0) throw ApiException.Missing("id");
        var fanOut = FanOut.From(call, routers.Count, options.Value.Provisioning.DefaultMaxConcurrency);
        var job = await jobs.LaunchAsync(call, routers.Count == 1 ? ResourceTypes.DomainRouter : null, routers.Count == 1 ? routers[0] : null,
            routers.Select(r => new TargetSpec(r, null, CommandTypes.RunRecipe, recipe)).ToList(),
            fanOut.MaxConcurrency, fanOut.MaxErrors, new JsonObject { ["recipe"] = recipe.Name }, ct: ct).ConfigureAwait(false);
        return ApiFormat.Async(job.Id, routers.Count == 1 ? routers[0] : null);
    }
}

internal static class Recipes
{
    public static RunRecipe From(ApiCall call, string name)
    {
        if (name.Length > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            throw ApiException.Parameter($"recipe name must be letters, digits, '-', '_', '.' (at most 64)");
        var sha256 = call.Optional("sha256");
        if (sha256 is not null && (sha256.Length != 64 || !sha256.All(char.IsAsciiHexDigit)))
            throw ApiException.Parameter("sha256 must be 64 hex digits");
        var script = call.Optional("script");
        if (script is not null)
        {
            try { _ = Convert.FromBase64String(script); }
            catch (FormatException) { throw ApiException.Parameter("script must be base64"); }
        }
        return new RunRecipe
        {
            Name = name,
            Sha256 = sha256?.ToLowerInvariant(),
            Script = script,
            Parameters = call.Map("parameters"),
            TimeoutSeconds = call.OptionalInt("timeout", 1, 86_400) ?? 120,
        };
    }
}
