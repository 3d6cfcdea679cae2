using Agents.Contracts;
using Agents.Contracts.Commands;
using Agents.Contracts.Events;
using Agents.Messaging.Consuming;

namespace Agents.Producers.Jobs;

/// <summary>
/// A command in agents.unroutable reached no bridge (unknown router, bridge never started): it is
/// a DeliveryTimedOut for its job, so it is retried like one and, when retries are spent, fails
/// with the no-agent alert instead of waiting forever.
/// </summary>
public sealed class UnroutableHandler(JobEngine engine, TimeProvider time, ILogger<UnroutableHandler> logger) : IMessageHandler
{
    public async Task<Disposition> HandleAsync(IncomingMessage message, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        var command = message.Read<AgentCommand>();
        if (command.CommandId == Guid.Empty || command.JobId == Guid.Empty || string.IsNullOrWhiteSpace(command.RouterId))
            throw new InvalidMessageException($"unroutable command {message.MessageId}: commandId, jobId and routerId are required");
        logger.LogWarning("Command {CommandId} (job {JobId}, attempt {Attempt}) reached no bridge: router {RouterId} is not served",
            command.CommandId, command.JobId, command.Attempt, command.RouterId);
        await engine.OnOutcomeAsync(new AgentCommandCompleted
        {
            MessageId = Guid.NewGuid(),
            CommandId = command.CommandId,
            JobId = command.JobId,
            CommandType = command.Type,
            RouterId = command.RouterId,
            VmId = command.VmId,
            Outcome = CommandOutcome.DeliveryTimedOut,
            Attempt = command.Attempt,
            Message = $"no bridge serves router {command.RouterId} (the command landed in {Topology.UnroutableQueue})",
            CompletedAt = time.GetUtcNow(),
        }).ConfigureAwait(false);
        return Disposition.Ack;
    }
}
