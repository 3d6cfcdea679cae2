using Agents.Contracts;
using Agents.Contracts.Events;
using Agents.Messaging.Consuming;
using RabbitMQ.Client;

namespace Agents.Producers.Jobs;

/// <summary>
/// Command outcomes from cloudstack-events complete job targets. The queue is bound to the event
/// types outcomes are published under; an event of those types that is no outcome (CloudStack's
/// own VM.RESETPASSWORD) is acked and ignored. The job engine ignores a duplicate or a stale
/// attempt, so a redelivery is harmless; the ack follows the store update.
/// </summary>
public sealed class OutcomeHandler(JobEngine engine) : IMessageHandler
{
    public const string Queue = "producers.outcomes";

    public static IReadOnlyList<string> Bindings { get; } =
        [.. AgentCommandCompleted.OutcomeEventTypes.Select(type => EventRoutingKey.Build("*", EventCategory.ActionEvent, type, "*", "*"))];

    public static Func<IChannel, CancellationToken, Task> Declare =>
        global::Agents.Messaging.MessagingServiceCollectionExtensions.QuorumQueue(Queue, Topology.EventsExchange, [.. Bindings]);

    public async Task<Disposition> HandleAsync(IncomingMessage message, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (AgentCommandCompleted.FromEvent(message.ReadEvent()) is { } outcome) await engine.OnOutcomeAsync(outcome).ConfigureAwait(false);
        return Disposition.Ack;
    }
}
