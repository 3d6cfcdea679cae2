namespace Agents.Messaging.Internal;

/// <summary>A message to publish. Persistent and mandatory unless said otherwise.</summary>
internal sealed record OutgoingMessage
{
    public required string Exchange { get; init; }
    public required string RoutingKey { get; init; }
    public required ReadOnlyMemory<byte> Body { get; init; }
    public required string MessageId { get; init; }
    public string? CorrelationId { get; init; }
    /// <summary>The AMQP <c>type</c> property: the contract's name (e.g. ResetVmPassword).</summary>
    public string? Type { get; init; }
    public string? ReplyTo { get; init; }
    /// <summary>Per-message TTL in milliseconds (AMQP <c>expiration</c>).</summary>
    public string? Expiration { get; init; }
    public IReadOnlyDictionary<string, object?>? Headers { get; init; }
    public bool Persistent { get; init; } = true;
    /// <summary>Refuse to drop the message silently: an unroutable publish fails (or, on agents.commands, goes to its alternate exchange).</summary>
    public bool Mandatory { get; init; } = true;
}
