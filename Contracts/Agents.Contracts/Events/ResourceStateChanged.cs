namespace Agents.Contracts.Events;

/// <summary>
/// A ResourceStateEvent (CloudStack fields: resource, id, old-state, new-state, eventDateTime),
/// used for agent presence (Up, Down, Unresponsive) and router health (Healthy, Unhealthy).
/// </summary>
public sealed record ResourceStateChanged
{
    public required Guid MessageId { get; init; }
    public required string EventType { get; init; }
    public required string ResourceType { get; init; }
    public required string ResourceUuid { get; init; }
    public string? OldState { get; init; }
    public required string NewState { get; init; }
    public required DateTimeOffset ChangedAt { get; init; }
    /// <summary>Extra facts (agent version, address, certificate expiry, router id, check name ...).</summary>
    public IReadOnlyDictionary<string, string> Details { get; init; } = new Dictionary<string, string>();

    public CloudStackEvent ToEvent()
    {
        var body = new EventBody()
            .Set("resource", ResourceType)
            .Set("id", ResourceUuid)
            .Set("old-state", OldState)
            .Set("new-state", NewState)
            .Set("eventDateTime", CloudStackEvent.FormatDateTime(ChangedAt))
            .Set("schemaVersion", 1)
            .Set("messageId", MessageId.ToString())
            .Set("changedAt", ChangedAt);
        foreach (var (key, value) in Details) body.Set(key, value);
        return new CloudStackEvent
        {
            Source = CloudStackEvent.DefaultSource,
            Category = EventCategory.ResourceStateEvent,
            Type = EventType,
            ResourceType = ResourceType,
            ResourceUuid = ResourceUuid,
            Description = body.Build(),
        };
    }
}
