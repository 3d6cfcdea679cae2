using Agents.Contracts;
using Agents.Contracts.Events;
using Agents.Messaging.Consuming;
using RabbitMQ.Client;

namespace Agents.Producers.Jobs;

/// <summary>
/// Command outcomes (ActionEvents with a command id) from cloudstack-events complete job targets.
/// The job engine ignores a duplicate or a stale attempt, so a redelivery is harmless; the ack
/// follows the store update.
/// </summary>
public sealed class OutcomeHandler(JobEngine engine) : IMessageHandler
{
    public const string Queue = "producers.outcomes";
    public const string Binding = "*.ActionEvent.#";

    public static Func<IChannel, CancellationToken, Task> Declare =>
        global::Agents.Messaging.MessagingServiceCollectionExtensions.QuorumQueue(Queue, Topology.EventsExchange, Binding);

    public async Task<Disposition> HandleAsync(IncomingMessage message, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        var body = message.Read<Dictionary<string, string?>>();
        if (!body.ContainsKey("commandId")) return Disposition.Ack;
        var parts = message.RoutingKey.Split('.');
        var outcome = AgentCommandCompleted.FromEvent(new CloudStackEvent
        {
            Source = parts[0], Category = EventCategory.ActionEvent, Type = parts.Length > 2 ? parts[2] : "", Description = body,
        });
        if (outcome is not null) await engine.OnOutcomeAsync(outcome).ConfigureAwait(false);
        return Disposition.Ack;
    }
}
