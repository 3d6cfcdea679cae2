namespace Agents.Storage.Audit;

/// <summary>CloudStack's event levels, as listEvents reports them.</summary>
public static class AuditLevel
{
    public const string Info = "INFO";
    public const string Warn = "WARN";
    public const string Error = "ERROR";
}

/// <summary>
/// One event as it crossed the <c>cloudstack-events</c> exchange. <see cref="EventId"/> is the
/// event's message id (the body's <c>messageId</c>, else the AMQP message-id): appending the
/// same id twice keeps one record.
/// </summary>
public sealed record AuditRecord
{
    public required string EventId { get; init; }
    public required string RoutingKey { get; init; }
    public required string Source { get; init; }
    /// <summary>ActionEvent, AlertEvent, ResourceStateEvent, AsyncJobEvent.</summary>
    public required string Category { get; init; }
    /// <summary>The event type in its dotted form (VM.RESETPASSWORD, ALERT.ROUTER.HEALTH ...).</summary>
    public required string Type { get; init; }
    /// <summary><see cref="AuditLevel"/>: INFO, WARN or ERROR.</summary>
    public required string Level { get; init; }
    public string? ResourceType { get; init; }
    public string? ResourceId { get; init; }
    /// <summary>A one-line summary for a person (the body's description, subject or state change).</summary>
    public required string Description { get; init; }
    /// <summary>When the event happened (the body's time), else when it was received.</summary>
    public required DateTimeOffset OccurredAt { get; init; }
    public required DateTimeOffset ReceivedAt { get; init; }
    /// <summary>The body exactly as it was on the bus (a flat JSON object).</summary>
    public required string Body { get; init; }
}
