namespace Agents.Contracts.Events;

/// <summary>
/// CloudStack's event bus routing key: <c>source.category.type.resourceType.resourceUuid</c>.
/// An empty field becomes <c>*</c> and a <c>.</c> inside a field becomes <c>-</c>, so a subscriber
/// written for CloudStack's RabbitMQ event bus can bind the same patterns (<c>*.AlertEvent.#</c>).
/// </summary>
public static class EventRoutingKey
{
    public static string Build(string? source, string? category, string? type, string? resourceType, string? resourceUuid) =>
        string.Join('.', Field(source), Field(category), Field(type), Field(resourceType), Field(resourceUuid));

    private static string Field(string? value) =>
        string.IsNullOrEmpty(value) ? "*" : value.Replace('.', '-');
}
