using System.Globalization;

namespace Agents.Contracts.Events;

/// <summary>
/// One event on the <c>cloudstack-events</c> exchange. As in CloudStack, the routing key carries
/// source, category, type and resource, and the body is <see cref="Description"/>: a flat JSON
/// object of string values with CloudStack's field names for the category.
/// </summary>
public sealed record CloudStackEvent
{
    public const string DefaultSource = "agents-framework";

    public required string Source { get; init; }
    public required string Category { get; init; }
    public required string Type { get; init; }
    public string? ResourceType { get; init; }
    public string? ResourceUuid { get; init; }
    public required IReadOnlyDictionary<string, string?> Description { get; init; }

    public string RoutingKey => EventRoutingKey.Build(Source, Category, Type, ResourceType, ResourceUuid);

    /// <summary>CloudStack's <c>eventDateTime</c> format: <c>yyyy-MM-dd HH:mm:ss Z</c>.</summary>
    public static string FormatDateTime(DateTimeOffset at) =>
        at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss '+0000'", CultureInfo.InvariantCulture);

    public string? this[string field] => Description.TryGetValue(field, out var value) ? value : null;
}
