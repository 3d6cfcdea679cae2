using Agents.Contracts;
using Agents.Contracts.Commands;
using Agents.Contracts.Events;
using Agents.Contracts.Protocol;
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
        var noBridge = new ResultFrame(command.CommandId, CommandOutcome.DeliveryTimedOut,
            Message: $"no bridge serves router {command.RouterId} (the command landed in {Topology.UnroutableQueue})");
        await engine.OnOutcomeAsync(AgentCommandCompleted.Of(command, noBridge, 0, time.GetUtcNow())).ConfigureAwait(false);
        return Disposition.Ack;
    }
}
