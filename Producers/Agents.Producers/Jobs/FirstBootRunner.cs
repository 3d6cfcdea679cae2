using System.Text.Json.Nodes;
using Agents.Contracts.Commands;
using Agents.Contracts.Events;
using Agents.Producers.Accounts;
using Agents.Producers.Api;
using Agents.Producers.FirstBoot;
using Agents.Producers.Inventory;
using Microsoft.Extensions.Options;

namespace Agents.Producers.Jobs;

/// <summary>
/// Runs a VM's first-boot recipes when its agent first reports Up: one runAgentRecipe job of the
/// VM's account, a target per recipe, one at a time, every recipe tried. The store's claim
/// (Pending → Started) makes it once, however many Up events arrive on however many API instances;
/// a job that cannot start gives the claim back, so the next Up tries again. The job's end is an
/// AsyncJobEvent like any other, which the console shows its owner.
/// </summary>
public sealed class FirstBootRunner(
    IFirstBootStore store, IVmInventory inventory, JobLauncher jobs, ApiRegistry registry, IOptions<RecipeCatalogueOptions> catalogue,
    TimeProvider time, ILogger<FirstBootRunner> logger)
{
    public const string Command = "runAgentRecipe";

    public async Task OnAgentUpAsync(string vmId, CancellationToken ct)
    {
        var choice = await store.ClaimAsync(vmId, time.GetUtcNow(), ct).ConfigureAwait(false);
        if (choice is null) return;
        try
        {
            var vm = await inventory.FindAsync(vmId, ct).ConfigureAwait(false) ?? throw new InvalidOperationException($"VM {vmId} is not registered");
            var targets = choice.Recipes.Select(name => catalogue.Value.Find(name) is { } recipe
                    ? new TargetSpec(vm.RouterId, vm.Id, CommandTypes.RunRecipe, new RunRecipe { Name = recipe.Name, Sha256 = recipe.Sha256?.ToLowerInvariant(), TimeoutSeconds = recipe.TimeoutSeconds })
                    : null)
                .OfType<TargetSpec>().ToList();
            if (targets.Count == 0)
            {
                logger.LogWarning("First-boot recipes of {VmId} ({Recipes}) are no longer in the catalogue: nothing runs", vmId, string.Join(',', choice.Recipes));
                return;
            }
            var definition = registry.Find(Command)?.Definition ?? throw new InvalidOperationException($"{Command} is not registered");
            var call = new ApiCall(new Caller(vm.Account, Role.User), definition, new Dictionary<string, string>());
            var job = await jobs.LaunchAsync(call, targets.Count == 1 ? ResourceTypes.VirtualMachine : null, vm.Id, targets, maxConcurrency: 1, maxErrors: targets.Count,
                new JsonObject { ["recipe"] = string.Join(',', choice.Recipes), ["firstboot"] = "true" }, ct: ct).ConfigureAwait(false);
            await store.RecordJobAsync(vmId, job.Id, ct).ConfigureAwait(false);
            logger.LogInformation("First-boot recipes {Recipes} of {VmId} started as job {JobId}", string.Join(',', choice.Recipes), vmId, job.Id);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await store.ReleaseAsync(vmId, CancellationToken.None).ConfigureAwait(false);
            logger.LogWarning("First-boot recipes of {VmId} did not start ({Error}); they run when its agent next comes up", vmId, e.Message);
            throw;
        }
    }
}
