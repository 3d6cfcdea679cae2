namespace Agents.Contracts.Events;

/// <summary>
/// CloudStack's CONFIGURATION.VALUE.EDIT ActionEvent: a global setting was changed with
/// updateConfiguration. Every service that uses the setting (bridges: strictness and health
/// checks; the CA: validity and expiry windows; the consumers: alert e-mail) applies the new
/// value on receipt, without a restart. Never a secret: settings that are secrets are not
/// changed through the API.
/// </summary>
public sealed record ConfigurationChanged
{
    public const string EventType = "CONFIGURATION.VALUE.EDIT";
    public const string ResourceType = "Configuration";

    /// <summary>The routing-key pattern of these events: <c>*.ActionEvent.CONFIGURATION-VALUE-EDIT.#</c>.</summary>
    public static string Binding => $"*.{EventCategory.ActionEvent}.{EventType.Replace('.', '-')}.#";

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
        Source = CloudStackEvent.DefaultSource,
        Category = EventCategory.ActionEvent,
        Type = EventType,
        ResourceType = ResourceType,
        ResourceUuid = Name,
        Description = new EventBody()
            .Set("status", "Completed")
            .Set("level", "INFO")
            .Set("event", EventType)
            .Set("entity", ResourceType)
            .Set("entityuuid", Name)
            .Set("account", Account)
            .Set("user", Account)
            .Set("description", $"Successfully completed updating configuration. Name: {Name} New Value: {Value}")
            .Set("eventDateTime", CloudStackEvent.FormatDateTime(At))
            .Set("schemaVersion", 1)
            .Set("messageId", MessageId.ToString())
            .Set("name", Name)
            .Set("value", Value)
            .Set("scope", Scope)
            .Build(),
    };

    public static ConfigurationChanged FromEvent(CloudStackEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new()
        {
            MessageId = EventBody.RequiredGuid(e, "messageId"),
            Name = EventBody.Required(e, "name"),
            Value = e["value"] ?? "",
            Scope = e["scope"] ?? "Global",
            Account = e["account"] ?? "",
            At = EventBody.OptionalTime(e, "eventDateTime") ?? DateTimeOffset.UtcNow,
        };
    }
}
