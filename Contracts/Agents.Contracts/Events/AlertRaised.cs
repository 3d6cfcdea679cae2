namespace Agents.Contracts.Events;

/// <summary>
/// An AlertEvent, with CloudStack's body fields (event, subject, body, dataCenterId, podId,
/// eventDateTime, as its AlertManager publishes them) plus the fields alert consumers group and
/// resolve by. CloudStack's alerts name no resource (their routing key ends in <c>*.*</c>); ours
/// name it there too, which every binding written for CloudStack's alerts still matches.
/// </summary>
public sealed record AlertRaised
{
    /// <summary>Ours always carry one; null when read from an alert CloudStack itself published.</summary>
    public required Guid? MessageId { get; init; }
    /// <summary>One of the ALERT.* values of <see cref="EventTypes"/> (CloudStack's alert type names for its own).</summary>
    public required string AlertType { get; init; }
    /// <summary>Null when read from a CloudStack alert: CloudStack's alerts carry no severity.</summary>
    public required AlertSeverity? Severity { get; init; }
    public AlertState State { get; init; } = AlertState.Firing;
    /// <summary>Alerts with the same key describe the same condition (e.g. one certificate expiring).</summary>
    public required string GroupKey { get; init; }
    public string? ResourceType { get; init; }
    public string? ResourceUuid { get; init; }
    public required string Subject { get; init; }
    /// <summary>What happened and what to do about it, for a person.</summary>
    public required string Body { get; init; }
    public string? DataCenterId { get; init; }
    public string? PodId { get; init; }
    public required DateTimeOffset RaisedAt { get; init; }

    public CloudStackEvent ToEvent() => new()
    {
        Category = EventCategory.AlertEvent,
        Type = AlertType,
        ResourceType = ResourceType,
        ResourceUuid = ResourceUuid,
        Description = new EventBody()
            .Set("event", AlertType)
            .Set("subject", Subject)
            .Set("body", Body)
            .Set("dataCenterId", DataCenterId)
            .Set("podId", PodId)
            .Set("eventDateTime", CloudStackEvent.FormatDateTime(RaisedAt))
            .Set("schemaVersion", 1)
            .Set("messageId", MessageId)
            .Set("severity", Severity?.ToString())
            .Set("state", State.ToString())
            .Set("groupKey", GroupKey)
            .Set("resourceType", ResourceType)
            .Set("resourceUuid", ResourceUuid)
            .Set("raisedAt", RaisedAt)
            .Build(),
    };

    /// <summary>Reads any AlertEvent, ours or CloudStack's (whose missing fields of ours take their defaults: Firing, grouped by type and resource).</summary>
    /// <exception cref="InvalidEventException">Not an AlertEvent, or no subject.</exception>
    public static AlertRaised FromEvent(CloudStackEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.Category != EventCategory.AlertEvent) throw new InvalidEventException($"{e.Category} {e.Type} is not an AlertEvent");
        return new AlertRaised
        {
            MessageId = e.OptionalGuid("messageId"),
            AlertType = e.Type,
            Severity = Enum.TryParse<AlertSeverity>(e["severity"], ignoreCase: true, out var s) && Enum.IsDefined(s) ? s : null,
            State = Enum.TryParse<AlertState>(e["state"], ignoreCase: true, out var st) && Enum.IsDefined(st) ? st : AlertState.Firing,
            GroupKey = e["groupKey"] ?? $"{e.Type}/{e.ResourceUuid}",
            ResourceType = e.ResourceType,
            ResourceUuid = e.ResourceUuid,
            Subject = e.Required("subject"),
            Body = e["body"] ?? "",
            DataCenterId = e["dataCenterId"],
            PodId = e["podId"],
            RaisedAt = e.OptionalTime("raisedAt") ?? e.EventDateTime ?? DateTimeOffset.UtcNow,
        };
    }
}
