using System.Diagnostics;
using Agents.Messaging.Telemetry;
using Agents.Contracts.Commands;
using Agents.Contracts.Protocol;
using Agents.RouterBridge.Health;
using Agents.RouterBridge.Identity;
using Agents.VmAgent.Core;
using Agents.VmAgent.Core.Handlers;
using Agents.VmAgent.Core.Journal;
using Agents.VmAgent.Core.Logging;
using Agents.VmAgent.Core.Policy;
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

    public async Task<ResultFrame> RunAsync(AgentCommand command, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(command);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(Math.Max(1, command.ExecutionTimeoutSeconds)));
        try
        {
            return await _executor.ExecuteAsync(CommandFrame.For(command, MessagingTracing.TraceParentOf(Activity.Current)), timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return ResultFrame.ExecutionTimedOut(command.CommandId, $"did not finish within {command.ExecutionTimeoutSeconds} s on the router");
        }
    }
}
