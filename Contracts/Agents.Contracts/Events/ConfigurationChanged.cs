namespace Agents.Contracts.Events;

/// <summary>
/// CloudStack's CONFIGURATION.VALUE.EDIT ActionEvent: a global setting was changed with
/// updateConfiguration. Every service that uses the setting (bridges: strictness and health
/// checks; the CA: validity and expiry windows) applies the new value on receipt, without a
/// restart. Never a secret: settings that are secrets are not changed through the API.
/// </summary>
public sealed record ConfigurationChanged
{
    /// <summary>The routing-key pattern of these events: <c>*.ActionEvent.CONFIGURATION-VALUE-EDIT.*.*</c>.</summary>
    public static string Binding { get; } = EventRoutingKey.Build("*", EventCategory.ActionEvent, EventTypes.ConfigurationValueEdit, "*", "*");

    public required Guid MessageId { get; init; }
    /// <summary>CloudStack's name, e.g. ca.plugin.root.auth.strictness.</summary>
    public required string Name { get; init; }
    public required string Value { get; init; }
    /// <summary>Global (the only scope this system has).</summary>
    public string Scope { get; init; } = "Global";
    /// <summary>The account that changed it.</summary>
    public required string Account { get; init; }
    public required DateTimeOffset At { get; init; }

    public CloudStackEvent ToEvent() => new()
    {
        Category = EventCategory.ActionEvent,
        Type = EventTypes.ConfigurationValueEdit,
        ResourceType = ResourceTypes.Configuration,
        ResourceUuid = Name,
        Description = new EventBody()
            .Set("status", ActionEventStatus.Completed)
            .Set("level", "INFO")
            .Set("event", EventTypes.ConfigurationValueEdit)
            .Set("entity", ResourceTypes.Configuration)
            .Set("entityuuid", Name)
            .Set("account", Account)
            .Set("user", Account)
            // CloudStack's own wording (ConfigurationManagerImpl's event details)
            .Set("description", $"Successfully completed updating configuration. Name: {Name} New Value: {Value}")
            .Set("eventDateTime", CloudStackEvent.FormatDateTime(At))
            .Set("schemaVersion", 1)
            .Set("messageId", MessageId)
            .Set("name", Name)
            .Set("value", Value)
            .Set("scope", Scope)
            .Build(),
    };

    /// <summary>
    /// Reads a CONFIGURATION.VALUE.EDIT event; null for any other event, and for CloudStack's own
    /// (which names the setting only in its description and is about CloudStack's settings, not ours).
    /// </summary>
    /// <exception cref="InvalidEventException">Such an event of ours without messageId.</exception>
    public static ConfigurationChanged? FromEvent(CloudStackEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.Category != EventCategory.ActionEvent || e.Type != EventTypes.ConfigurationValueEdit || e["name"] is null) return null;
        return new ConfigurationChanged
        {
            MessageId = e.RequiredGuid("messageId"),
            Name = e.Required("name"),
            // an empty value is a value (a setting cleared), which the indexer reads as absent
            Value = e.Description.TryGetValue("value", out var value) ? value ?? "" : "",
            Scope = e["scope"] ?? "Global",
            Account = e["account"] ?? "",
            At = e.EventDateTime ?? DateTimeOffset.UtcNow,
        };
    }
}
