using System.Diagnostics;
using Agents.Contracts;
using Agents.Contracts.Commands;
using Agents.Contracts.Events;
using Agents.Contracts.Protocol;
using Agents.Messaging.Consuming;
using Agents.Messaging.Telemetry;
using Agents.RouterBridge.Telemetry;
using Agents.RouterBridge.Core.Agents;
using Agents.Security.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Agents.Messaging;

namespace Agents.RouterBridge.Commands;

/// <summary>
/// One command from the router's queue: relayed to the VM's agent (or run on the router), its
/// outcome published on cloudstack-events with a confirm, and only then acknowledged. A crash
/// anywhere before the ack means a redelivery; the agent's journal keeps the effect single.
/// </summary>
public sealed class CommandRelayHandler(
    IOptions<BridgeOptions> options,
    AgentRegistry agents,
    RouterCommandRunner router,
    Health.SystemVmHealthChecks systemVmHealth,
    IEventPublisher publisher,
    BridgeMetrics metrics,
    TimeProvider time,
    ILogger<CommandRelayHandler> logger) : IMessageHandler
{
    public async Task<Disposition> HandleAsync(IncomingMessage message, CancellationToken ct)
    {
        var command = message.Read<AgentCommand>();
        if (command.RouterId != options.Value.RouterId)
            throw new InvalidMessageException($"command {command.CommandId} is for router {command.RouterId}, this is {options.Value.RouterId}");
        if (Violation(command) is { } violation)
            throw new InvalidMessageException($"command {command.CommandId}: {violation}");

        using var activity = BridgeTracing.Source.StartActivity($"relay {command.Type}");
        activity?.SetTag("agents.command.id", command.CommandId);
        activity?.SetTag("agents.job.id", command.JobId);
        activity?.SetTag("agents.vm.id", command.VmId);
        var started = Stopwatch.StartNew();
        var result = await RunAsync(command, ct).ConfigureAwait(false);
        activity?.SetTag("agents.command.outcome", result.Outcome.ToString());
        // a system VM's checks run on demand (getSystemVmHealthCheckResults) are published as its scheduled ones
        if (command.Type == CommandTypes.RunHealthChecks && command.VmId is not null)
            await systemVmHealth.PublishAsync(command.VmId, result).ConfigureAwait(false);
        var completed = AgentCommandCompleted.Of(command, result, started.ElapsedMilliseconds, time.GetUtcNow());
        await publisher.PublishAsync(completed.ToEvent(), CancellationToken.None).ConfigureAwait(false);
        metrics.Relayed(command.Type, completed.Outcome, started.Elapsed);
        logger.LogInformation("Command {CommandId} (job {JobId}, {CommandType}) on {Target}: {Outcome} in {DurationMs} ms",
            command.CommandId, command.JobId, command.Type, command.VmId ?? "router", completed.Outcome, completed.DurationMs);
        return Disposition.Ack;
    }

    /// <summary>What makes a readable command unusable (it is dead-lettered, never retried); null when it is fine.</summary>
    private static string? Violation(AgentCommand command)
    {
        if (command.CommandId == Guid.Empty || command.JobId == Guid.Empty) return "commandId and jobId are required";
        if (string.IsNullOrEmpty(command.Type) || command.Type.Length > 64 || !command.Type.All(char.IsAsciiLetterOrDigit))
            return $"type '{command.Type}' is not a command type name";
        if (command.Payload.ValueKind != System.Text.Json.JsonValueKind.Object) return "payload is not a JSON object";
        if (command.VmId is not null && !HolderIdentity.IsSafeId(command.VmId)) return "vmId is not a valid VM id";
        return null;
    }

    /// <summary>The payload goes on as the element read from the bus: no second reading, no text in between.</summary>
    private Task<ResultFrame> RunAsync(AgentCommand command, CancellationToken ct)
    {
        if (command.VmId is null) return router.RunAsync(command, ct);
        // the agent logs this span's trace id with the command and returns it in its result
        return agents.SendCommandAsync(command.VmId, CommandFrame.For(command, MessagingTracing.TraceParentOf(Activity.Current)),
            TimeSpan.FromSeconds(Math.Max(1, command.DeliveryTimeoutSeconds)),
            TimeSpan.FromSeconds(Math.Max(1, command.ExecutionTimeoutSeconds)), ct);
    }
}
