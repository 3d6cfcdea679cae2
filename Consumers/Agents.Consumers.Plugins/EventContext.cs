using Agents.Contracts.Events;
using MassTransit;

namespace Agents.Consumers.Plugins;

/// <summary>The CloudStack event of a delivery from cloudstack-events, as every consumer of the service reads it.</summary>
public static class EventContext
{
    /// <summary>The delivery's routing key, raw body and AMQP message-id.</summary>
    public static (string RoutingKey, ReadOnlyMemory<byte> Body, string? MessageId) RawDelivery(this ConsumeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var rabbit = context.ReceiveContext.TryGetPayload<RabbitMqBasicConsumeContext>(out var r) ? r : null;
        var routingKey = rabbit?.RoutingKey ?? throw new InvalidOperationException("not a RabbitMQ delivery: no routing key");
        return (routingKey, context.ReceiveContext.Body.GetBytes(), rabbit.Properties.MessageId);
    }

    /// <summary>The event, through the contract's reader: read it further with the typed readers (<see cref="AsyncJobChanged.FromEvent"/>, <see cref="AlertRaised"/>…).</summary>
    /// <exception cref="InvalidEventException">The routing key or the body is not a CloudStack event (the delivery goes to the error queue).</exception>
    public static CloudStackEvent ReadEvent(this ConsumeContext context)
    {
        var (routingKey, body, _) = context.RawDelivery();
        return CloudStackEvent.Read(routingKey, body.Span);
    }
}
