using Agents.Audit;
using Agents.Storage.Audit;
using Agents.Contracts.Events;

namespace Agents.Consumers.Bus;

/// <summary>One delivery from cloudstack-events as the consumers read it: the event (through the contract's reader), its raw body and routing key.</summary>
public sealed record EventDelivery
{
    public required CloudStackEvent Event { get; init; }
    public required string RoutingKey { get; init; }
    public required ReadOnlyMemory<byte> Body { get; init; }
    /// <summary>The AMQP message-id property, if the publisher set one.</summary>
    public string? AmqpMessageId { get; init; }
    public DateTimeOffset ReceivedAt { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>The event's own id (body messageId, else AMQP message-id, else a hash of key and body).</summary>
    public string EventId => AuditRecord.EventId;

    public AuditRecord AuditRecord => _audit ??= AuditRecordFactory.From(Event, RoutingKey, Body.Span, AmqpMessageId, ReceivedAt);
    private AuditRecord? _audit;

    /// <exception cref="InvalidEventException">The routing key or the body is not a CloudStack event.</exception>
    public static EventDelivery Parse(string routingKey, ReadOnlyMemory<byte> body, string? amqpMessageId) => new()
    {
        Event = CloudStackEvent.Read(routingKey, body.Span),
        RoutingKey = routingKey,
        Body = body,
        AmqpMessageId = amqpMessageId,
    };
}
