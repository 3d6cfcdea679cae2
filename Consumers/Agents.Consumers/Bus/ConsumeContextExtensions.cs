using MassTransit;

namespace Agents.Consumers.Bus;

public static class ConsumeContextExtensions
{
    /// <summary>The routing key, raw body and AMQP message-id of a delivery from cloudstack-events.</summary>
    /// <exception cref="Contracts.Events.InvalidEventException">The routing key or the body is not a CloudStack event.</exception>
    public static EventDelivery ToEventDelivery(this ConsumeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var rabbit = context.ReceiveContext.TryGetPayload<RabbitMqBasicConsumeContext>(out var r) ? r : null;
        var routingKey = rabbit?.RoutingKey ?? throw new InvalidOperationException("not a RabbitMQ delivery: no routing key");
        return EventDelivery.Parse(routingKey, context.ReceiveContext.Body.GetBytes(), rabbit.Properties.MessageId);
    }
}
