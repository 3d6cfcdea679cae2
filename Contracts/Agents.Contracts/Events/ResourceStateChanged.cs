namespace Agents.Contracts.Events;

/// <summary>
/// A ResourceStateEvent as CloudStack's state listeners publish it (resource, id, old-state,
/// new-state, status, eventDateTime), then ours (messageId, changedAt, <see cref="Details"/>).
/// The typed ones are <see cref="AgentStateChanged"/> and <see cref="RouterHealthChecked"/>.
/// </summary>
public sealed record ResourceStateChanged
{
    /// <summary>CloudStack's <c>status</c> of a state change that has happened.</summary>
    public const string PostStateTransition = "postStateTransitionEvent";

    private static readonly HashSet<string> OwnFields = new(StringComparer.Ordinal)
    { "resource", "id", "old-state", "new-state", "status", "eventDateTime", "schemaVersion", "messageId", "changedAt" };

    /// <summary>Ours always carry one; null when read from CloudStack's own events.</summary>
    public required Guid? MessageId { get; init; }
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
            .Set("status", PostStateTransition)
            .Set("eventDateTime", CloudStackEvent.FormatDateTime(ChangedAt))
            .Set("schemaVersion", 1)
            .Set("messageId", MessageId)
            .Set("changedAt", ChangedAt);
        foreach (var (key, value) in Details) body.Set(key, value);
        return new CloudStackEvent
        {
            Category = EventCategory.ResourceStateEvent,
            Type = EventType,
            ResourceType = ResourceType,
            ResourceUuid = ResourceUuid,
            Description = body.Build(),
        };
    }

    /// <summary>Reads any ResourceStateEvent, ours or CloudStack's; fields beyond the category's become <see cref="Details"/>.</summary>
    /// <exception cref="InvalidEventException">Not a ResourceStateEvent, or without resource, id or new-state.</exception>
    public static ResourceStateChanged FromEvent(CloudStackEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.Category != EventCategory.ResourceStateEvent) throw new InvalidEventException($"{e.Category} {e.Type} is not a ResourceStateEvent");
        return new ResourceStateChanged
        {
            MessageId = e.OptionalGuid("messageId"),
            EventType = e.Type,
            ResourceType = e.ResourceType ?? e.Required("resource"),
            ResourceUuid = e.ResourceUuid ?? e.Required("id"),
            OldState = e["old-state"],
            NewState = e.Required("new-state"),
            ChangedAt = e.OptionalTime("changedAt") ?? e.EventDateTime ?? DateTimeOffset.UtcNow,
            Details = e.Description.Where(f => !OwnFields.Contains(f.Key) && f.Value is not null).ToDictionary(f => f.Key, f => f.Value!, StringComparer.Ordinal),
        };
    }
}
