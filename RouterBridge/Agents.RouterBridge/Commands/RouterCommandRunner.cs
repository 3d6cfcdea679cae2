using System.Text.Json;
using Agents.Contracts.Commands;
using Agents.RouterBridge.Core.Agents;
using Agents.RouterBridge.Health;
using Agents.RouterBridge.Identity;
using Agents.VmAgent.Core;
using Agents.VmAgent.Core.Handlers;
using Agents.VmAgent.Core.Journal;
using Agents.VmAgent.Core.Logging;
using Agents.VmAgent.Core.Policy;
using Agents.VmAgent.Core.Protocol;
using CommandTypes = Agents.Contracts.Commands.CommandTypes;
using Agents.VmAgent.Core.Recipes;
using Microsoft.Extensions.Options;

namespace Agents.RouterBridge.Commands;

/// <summary>
/// Commands addressed to the router itself (package upgrades, patchSystemVm, health checks, the
/// rekey of its own certificate) run here through the agent library's executor: the same journal,
/// policy and handlers as in a VM.
/// </summary>
public sealed class RouterCommandRunner
{
    private readonly CommandExecutor _executor;

    public RouterCommandRunner(IOptions<BridgeOptions> options, HealthCheckRunner health, RouterIdentity identity, IAgentLog log)
    {
        var o = options.Value;
        var os = AgentFactory.GuestOsFor(o.SandboxRoot);
        var policy = o.PolicyPath is not null ? AgentPolicy.Load(o.PolicyPath) : DefaultPolicy();
        var work = Path.Combine(o.DataDirectory, "work");
        Directory.CreateDirectory(work);
        _executor = new CommandExecutor(
            [
                new RunRecipeHandler(new RecipeCatalog(o.RecipeDirectory), new RecipeRunner(), os.RecipeEnvironment),
                new RunHealthChecksHandler(health),
                new RekeyHandler(identity),
            ],
            new CommandJournal(Path.Combine(o.DataDirectory, "journal")), policy, log, work);
    }

    /// <summary>Without a policy file: health checks, the rekey of the router's certificate, and the built-in package upgrade (by its hash).</summary>
    private static AgentPolicy DefaultPolicy()
    {
        var upgrade = RecipeCatalog.BuiltIn("package-upgrade")
            ?? throw new InvalidOperationException("the built-in package-upgrade recipe is missing");
        return new AgentPolicy([CommandTypes.RunRecipe, CommandTypes.RunHealthChecks, CommandTypes.RekeyCertificate], [new RecipePolicy(upgrade.Name, upgrade.Sha256, Privileged: true)], Privileged: true);
    }

    public async Task<AgentResult> RunAsync(AgentCommand command, string payloadJson, CancellationToken ct)
    {
        using var payload = JsonDocument.Parse(payloadJson);
        var frame = new CommandFrame(command.CommandId, command.JobId, command.Type, payload.RootElement.Clone(), command.ExecutionTimeoutSeconds);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(Math.Max(1, command.ExecutionTimeoutSeconds)));
        try
        {
            return AgentResult.From(await _executor.ExecuteAsync(frame, timeout.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new AgentResult(command.CommandId, AgentOutcome.ExecutionTimedOut, Message: $"did not finish within {command.ExecutionTimeoutSeconds} s on the router");
        }
    }
}
