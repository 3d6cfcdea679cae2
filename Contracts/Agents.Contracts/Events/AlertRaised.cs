namespace Agents.Contracts.Events;

public enum AlertSeverity { Info, Warning, Critical }

/// <summary>Whether the condition behind an alert holds (Firing) or has cleared (Resolved).</summary>
public enum AlertState { Firing, Resolved }

/// <summary>
/// An AlertEvent, with CloudStack's body fields (event, subject, body, dataCenterId, podId,
/// eventDateTime) plus the fields alert consumers group and resolve by.
/// </summary>
public sealed record AlertRaised
{
    public required Guid MessageId { get; init; }
    /// <summary>One of the ALERT.* values of <see cref="EventTypes"/>.</summary>
    public required string AlertType { get; init; }
    public required AlertSeverity Severity { get; init; }
    public AlertState State { get; init; } = AlertState.Firing;
    /// <summary>Alerts with the same key describe the same condition (e.g. one certificate expiring).</summary>
    public required string GroupKey { get; init; }
    public required string ResourceType { get; init; }
    public required string ResourceUuid { get; init; }
    public required string Subject { get; init; }
    /// <summary>What happened and what to do about it, for a person.</summary>
    public required string Body { get; init; }
    public string? DataCenterId { get; init; }
    public required DateTimeOffset RaisedAt { get; init; }

    public CloudStackEvent ToEvent() => new()
    {
        Source = CloudStackEvent.DefaultSource,
        Category = EventCategory.AlertEvent,
        Type = AlertType,
        ResourceType = ResourceType,
        ResourceUuid = ResourceUuid,
        Description = new EventBody()
            .Set("event", AlertType)
            .Set("subject", Subject)
            .Set("body", Body)
            .Set("dataCenterId", DataCenterId)
            .Set("podId", (string?)null)
            .Set("eventDateTime", CloudStackEvent.FormatDateTime(RaisedAt))
            .Set("schemaVersion", 1)
            .Set("messageId", MessageId.ToString())
            .Set("severity", Severity.ToString())
            .Set("state", State.ToString())
            .Set("groupKey", GroupKey)
            .Set("resourceType", ResourceType)
            .Set("resourceUuid", ResourceUuid)
            .Set("raisedAt", RaisedAt)
            .Build(),
    };

    public static AlertRaised FromEvent(CloudStackEvent e) => new()
    {
        MessageId = EventBody.RequiredGuid(e, "messageId"),
        AlertType = EventBody.Required(e, "event"),
        Severity = Enum.TryParse<AlertSeverity>(e["severity"], out var s) ? s : AlertSeverity.Warning,
        State = Enum.TryParse<AlertState>(e["state"], out var st) ? st : AlertState.Firing,
        GroupKey = e["groupKey"] ?? $"{e.Type}/{e.ResourceUuid}",
        ResourceType = e["resourceType"] ?? e.ResourceType ?? "",
        ResourceUuid = e["resourceUuid"] ?? e.ResourceUuid ?? "",
        Subject = EventBody.Required(e, "subject"),
        Body = e["body"] ?? "",
        DataCenterId = e["dataCenterId"],
        RaisedAt = EventBody.OptionalTime(e, "raisedAt") ?? DateTimeOffset.UtcNow,
    };
}
