using System.Globalization;
using Agents.Contracts.Events;
using Agents.Storage.Audit;

namespace Agents.Audit;

/// <summary>
/// Turns a delivery from <c>cloudstack-events</c> (routing key + raw JSON body) into an
/// <see cref="AuditRecord"/>. It reads any CloudStack-shaped event, not only ours: fields it
/// cannot find fall back to the routing key and the time of receipt.
/// </summary>
public static class AuditRecordFactory
{
    private static readonly string[] EventTimeFormats = ["yyyy-MM-dd HH:mm:ss zzz", "yyyy-MM-dd HH:mm:ss 'GMT'zzz", "yyyy-MM-dd HH:mm:ss"];

    /// <exception cref="FormatException">The body is not a JSON object.</exception>
    public static AuditRecord FromDelivery(string routingKey, ReadOnlySpan<byte> body, string? amqpMessageId, DateTimeOffset receivedAt)
    {
        var fields = EventFields.Read(body);
        var key = routingKey.Split('.');
        string? Part(int i) => i < key.Length && key[i] is not ("*" or "") ? key[i] : null;

        var category = Part(1) ?? "Unknown";
        var type = Field(fields, "event") ?? Part(2)?.Replace('-', '.') ?? "UNKNOWN";
        var resourceType = Field(fields, "resourceType") ?? Field(fields, "entity") ?? Field(fields, "resource") ?? Field(fields, "instanceType") ?? Part(3);
        var resourceId = Field(fields, "resourceUuid") ?? Field(fields, "entityuuid") ?? Field(fields, "id") ?? Field(fields, "instanceUuid") ?? Part(4);
        var eventId = Field(fields, "messageId") ?? amqpMessageId
            // no id anywhere: the content itself identifies it, so a redelivery still collapses
            ?? "sha256:" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData([.. System.Text.Encoding.UTF8.GetBytes(routingKey), .. body]));

        return new AuditRecord
        {
            EventId = eventId,
            RoutingKey = routingKey,
            Source = Part(0) ?? "unknown",
            Category = category,
            Type = type,
            Level = LevelOf(category, fields),
            ResourceType = resourceType,
            ResourceId = resourceId,
            Description = DescriptionOf(category, type, resourceType, resourceId, fields),
            OccurredAt = TimeOf(fields) ?? receivedAt,
            ReceivedAt = receivedAt,
            Body = System.Text.Encoding.UTF8.GetString(body),
        };
    }

    private static string? Field(Dictionary<string, string?> fields, string name) =>
        fields.TryGetValue(name, out var v) && !string.IsNullOrEmpty(v) ? v : null;

    private static string LevelOf(string category, Dictionary<string, string?> f) => category switch
    {
        EventCategory.AlertEvent when Field(f, "state") == nameof(AlertState.Resolved) => AuditLevel.Info,
        EventCategory.AlertEvent => Field(f, "severity") switch
        {
            nameof(AlertSeverity.Critical) => AuditLevel.Error,
            nameof(AlertSeverity.Info) => AuditLevel.Info,
            _ => AuditLevel.Warn,
        },
        EventCategory.ActionEvent when Field(f, "outcome") is { } o && o != "Success" => AuditLevel.Error,
        EventCategory.AsyncJobEvent when Field(f, "status") == "2" => AuditLevel.Error,
        EventCategory.ResourceStateEvent when Field(f, "new-state") is "Down" or "Unresponsive" or "Unhealthy" => AuditLevel.Warn,
        _ => Field(f, "level")?.ToUpperInvariant() is AuditLevel.Warn or AuditLevel.Error or AuditLevel.Info
            ? Field(f, "level")!.ToUpperInvariant()
            : AuditLevel.Info,
    };

    private static string DescriptionOf(string category, string type, string? resourceType, string? resourceId, Dictionary<string, string?> f) =>
        Field(f, "description")
        ?? Field(f, "subject")
        ?? (category == EventCategory.ResourceStateEvent
            ? $"{resourceType} {resourceId}: {Field(f, "old-state") ?? "?"} -> {Field(f, "new-state") ?? "?"}"
            : category == EventCategory.AsyncJobEvent
                ? $"{Field(f, "command")} job {Field(f, "jobId")}: {Field(f, "processStatus") ?? Field(f, "status")}"
                : $"{type} on {resourceType} {resourceId}");

    private static DateTimeOffset? TimeOf(Dictionary<string, string?> f)
    {
        // our ISO-8601 fields keep sub-second precision; eventDateTime (CloudStack's) has seconds only
        foreach (var name in (string[])["raisedAt", "changedAt", "completedAt", "at"])
            if (Field(f, name) is { } iso && DateTimeOffset.TryParse(iso, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var u))
                return u.ToUniversalTime();
        if (Field(f, "eventDateTime") is { } s
            && DateTimeOffset.TryParseExact(s.Replace("+0000", "+00:00", StringComparison.Ordinal), EventTimeFormats,
                CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t))
            return t.ToUniversalTime();
        return null;
    }
}
