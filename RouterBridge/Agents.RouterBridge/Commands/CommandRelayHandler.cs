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
/// One command from the router's queue, or a batch of them (<see cref="AgentCommandBatch"/>, one
/// per target behind this router): each relayed to its VM's agent (or run on the router), every
/// outcome published on cloudstack-events with a confirm, and only then the message acknowledged.
/// A crash anywhere before the ack means a redelivery; the agent's journal keeps the effect single.
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
        var commands = Commands(message);
        foreach (var command in commands)
        {
            if (command.RouterId != options.Value.RouterId)
                throw new InvalidMessageException($"command {command.CommandId} is for router {command.RouterId}, this is {options.Value.RouterId}");
            if (Violation(command) is { } violation)
                throw new InvalidMessageException($"command {command.CommandId}: {violation}");
        }
        // a batch's targets run side by side, each to its own agent with its own timeouts; the
        // message is acked once every outcome is confirmed (a crash before that redelivers it all,
        // and each agent's journal answers a command id it knows with its stored result)
        var completed = await Task.WhenAll(commands.Select(c => RelayAsync(c, ct))).ConfigureAwait(false);
        await publisher.PublishAllAsync([.. completed.Select(c => c.Outcome.ToEvent())], CancellationToken.None).ConfigureAwait(false);
        foreach (var (c, elapsed) in completed)
        {
            metrics.Relayed(c.CommandType, c.Outcome, elapsed);
            logger.LogInformation("Command {CommandId} (job {JobId}, {CommandType}) on {Target}: {Outcome} in {DurationMs} ms",
                c.CommandId, c.JobId, c.CommandType, c.VmId ?? "router", c.Outcome, c.DurationMs);
        }
        return Disposition.Ack;
    }

    /// <summary>The commands of a delivery: one, or a batch's targets (refused whole when the batch is unusable).</summary>
    private static IReadOnlyList<AgentCommand> Commands(IncomingMessage message)
    {
        if (message.Type != AgentCommandBatch.MessageType) return [message.Read<AgentCommand>()];
        var batch = message.Read<AgentCommandBatch>();
        if (batch.Targets.Count is 0 or > AgentCommandBatch.MaxTargets)
            throw new InvalidMessageException($"batch {batch.MessageId} names {batch.Targets.Count} targets: 1..{AgentCommandBatch.MaxTargets} allowed");
        if (batch.Targets.Select(t => t.CommandId).Distinct().Count() != batch.Targets.Count)
            throw new InvalidMessageException($"batch {batch.MessageId} names a commandId twice");
        return [.. batch.Commands()];
    }

    private async Task<(AgentCommandCompleted Outcome, TimeSpan Elapsed)> RelayAsync(AgentCommand command, CancellationToken ct)
    {
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
        return (AgentCommandCompleted.Of(command, result, started.ElapsedMilliseconds, time.GetUtcNow()), started.Elapsed);
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
