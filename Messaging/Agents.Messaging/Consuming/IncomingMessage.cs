using System.Text;
using Agents.Contracts;
using Agents.Contracts.Events;

namespace Agents.Messaging.Consuming;

/// <summary>A delivery as a handler sees it. The body is copied: it outlives the client's buffer.</summary>
public sealed record IncomingMessage
{
    public required string Queue { get; init; }
    public required string Exchange { get; init; }
    public required string RoutingKey { get; init; }
    public required ReadOnlyMemory<byte> Body { get; init; }
    public string? MessageId { get; init; }
    public string? CorrelationId { get; init; }
    public string? Type { get; init; }
    public string? ReplyTo { get; init; }
    /// <summary>AMQP <c>user_id</c>: when set, the broker has checked it is the publisher's broker user.</summary>
    public string? UserId { get; init; }
    public bool Redelivered { get; init; }
    /// <summary>Quorum queues count earlier deliveries in <c>x-delivery-count</c>.</summary>
    public long DeliveryCount { get; init; }
    public IReadOnlyDictionary<string, object?> Headers { get; init; } = new Dictionary<string, object?>();

    /// <exception cref="InvalidMessageException">The body is not a <typeparamref name="T"/>.</exception>
    public T Read<T>() => AgentJson.Deserialize<T>(Body.Span);

    /// <summary>A delivery from cloudstack-events, read by the contract's one event reader.</summary>
    /// <exception cref="InvalidEventException">The routing key or the body is not a CloudStack event.</exception>
    public CloudStackEvent ReadEvent() => CloudStackEvent.Read(RoutingKey, Body.Span);

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value switch
    {
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        null => null,
        _ => value.ToString(),
    } : null;
}

/// <summary>What becomes of a delivery once its handler is done.</summary>
public enum Disposition
{
    /// <summary>Done (its effects are durable): remove it from the queue.</summary>
    Ack,
    /// <summary>A transient failure: deliver it again. The queue's delivery-limit bounds the retries.</summary>
    Retry,
    /// <summary>It can never succeed: dead-letter it.</summary>
    Reject,
}

public interface IMessageHandler
{
    Task<Disposition> HandleAsync(IncomingMessage message, CancellationToken ct);
}
