using Agents.Contracts;
using Agents.Contracts.Commands;
using Agents.VmAgent.Core.Handlers;

namespace Agents.RouterBridge.Health;

/// <summary>getRouterHealthCheckResults with performfreshchecks: runs the checks; the outcome's stdout is the JSON array of results.</summary>
public sealed class RunHealthChecksHandler(HealthCheckRunner runner) : ICommandHandler
{
    public string CommandType => CommandTypes.RunHealthChecks;

    public async Task<HandlerResult> HandleAsync(CommandContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        RunHealthChecks request;
        try { request = context.Command.PayloadAs<RunHealthChecks>(); }
        catch (InvalidMessageException e) { throw new CommandRejectedException($"invalid RunHealthChecks payload: {e.Message}", e); }
        var results = await runner.RunAsync(request.CheckType, ct).ConfigureAwait(false);
        var failed = results.Count(r => !r.Success);
        return new HandlerResult(CommandOutcome.Success, ExitCode: failed == 0 ? 0 : 1,
            Stdout: AgentJson.Serialize(results.ToList()),
            Message: $"{results.Count} checks, {failed} failed");
    }
}
