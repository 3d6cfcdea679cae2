using Agents.Consumers.Plugins;
using MassTransit;

namespace Agents.Consumers.Bus;

public static class ConsumeContextExtensions
{
    /// <summary>The routing key, raw body and AMQP message-id of a delivery from cloudstack-events.</summary>
    /// <exception cref="Contracts.Events.InvalidEventException">The routing key or the body is not a CloudStack event.</exception>
    public static EventDelivery ToEventDelivery(this ConsumeContext context)
    {
        var (routingKey, body, messageId) = context.RawDelivery();
        return EventDelivery.Parse(routingKey, body, messageId);
    }
}
