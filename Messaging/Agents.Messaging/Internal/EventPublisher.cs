using Agents.Contracts.Events;

namespace Agents.Messaging.Internal;

/// <summary>An event on <c>cloudstack-events</c>, confirmed.</summary>
internal sealed class EventPublisher(ConfirmingPublisher publisher) : IEventPublisher
{
    public Task PublishAsync(CloudStackEvent e, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(e);
        return publisher.PublishAsync(new OutgoingMessage
        {
            Exchange = Contracts.Topology.EventsExchange,
            RoutingKey = e.RoutingKey,
            Body = e.ToUtf8(),
            MessageId = e.MessageId ?? Guid.NewGuid().ToString(),
            CorrelationId = e["jobId"],
            Type = e.Category,
            // CloudStack's bus drops events nobody listens to; so do we (not mandatory).
            Mandatory = false,
        }, ct);
    }
}
