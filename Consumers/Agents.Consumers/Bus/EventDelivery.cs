using Agents.Audit;
using Agents.Storage.Audit;

namespace Agents.Consumers.Bus;

/// <summary>One delivery from cloudstack-events as the consumers read it: the routing key, the raw body and its fields.</summary>
public sealed record EventDelivery
{
    public required string RoutingKey { get; init; }
    public required ReadOnlyMemory<byte> Body { get; init; }
    /// <summary>The AMQP message-id property, if the publisher set one.</summary>
    public string? AmqpMessageId { get; init; }
    public required IReadOnlyDictionary<string, string?> Fields { get; init; }

    public string? this[string field] => Fields.TryGetValue(field, out var v) && !string.IsNullOrEmpty(v) ? v : null;

    /// <summary>Routing-key word <paramref name="index"/> (0 source, 1 category, 2 type, 3 resource type, 4 resource id); null for '*'.</summary>
    public string? KeyPart(int index)
    {
        var parts = RoutingKey.Split('.');
        return index < parts.Length && parts[index] is not ("*" or "") ? parts[index] : null;
    }

    public string Category => KeyPart(1) ?? "Unknown";

    /// <summary>The dotted type: the body's <c>event</c>, else the routing key's word with '-' read as '.'.</summary>
    public string Type => this["event"] ?? KeyPart(2)?.Replace('-', '.') ?? "UNKNOWN";

    public string? ResourceType => this["resourceType"] ?? this["entity"] ?? this["resource"] ?? this["instanceType"] ?? KeyPart(3);

    public string? ResourceId => this["resourceUuid"] ?? this["entityuuid"] ?? this["id"] ?? this["instanceUuid"] ?? KeyPart(4);

    /// <summary>The event's own id (body messageId, else AMQP message-id, else a hash of key and body).</summary>
    public string EventId => AuditRecord.EventId;

    public AuditRecord AuditRecord => _audit ??= AuditRecordFactory.FromDelivery(RoutingKey, Body.Span, AmqpMessageId, ReceivedAt);
    private AuditRecord? _audit;

    public DateTimeOffset ReceivedAt { get; init; } = DateTimeOffset.UtcNow;

    /// <exception cref="FormatException">The body is not a JSON object.</exception>
    public static EventDelivery Parse(string routingKey, ReadOnlyMemory<byte> body, string? amqpMessageId) => new()
    {
        RoutingKey = routingKey,
        Body = body,
        AmqpMessageId = amqpMessageId,
        Fields = EventFields.Read(body.Span),
    };
}
