using System.Security.Cryptography;
using System.Text;
using Agents.Contracts.Events;
using Agents.Storage.Audit;

namespace Agents.Audit;

/// <summary>
/// Turns a delivery from <c>cloudstack-events</c> into an <see cref="AuditRecord"/>. It reads any
/// CloudStack event, not only ours, through the contract's one reader (<see cref="CloudStackEvent.Read"/>),
/// which knows where each category keeps its type, resource and time.
/// </summary>
public static class AuditRecordFactory
{
    /// <exception cref="InvalidEventException">The routing key or the body is not a CloudStack event.</exception>
    public static AuditRecord FromDelivery(string routingKey, ReadOnlySpan<byte> body, string? amqpMessageId, DateTimeOffset receivedAt) =>
        From(CloudStackEvent.Read(routingKey, body), routingKey, body, amqpMessageId, receivedAt);

    public static AuditRecord From(CloudStackEvent e, string routingKey, ReadOnlySpan<byte> body, string? amqpMessageId, DateTimeOffset receivedAt)
    {
        ArgumentNullException.ThrowIfNull(e);
        var eventId = e.MessageId ?? amqpMessageId
            // no id anywhere: the content itself identifies it, so a redelivery still collapses
            ?? "sha256:" + Convert.ToHexString(SHA256.HashData([.. Encoding.UTF8.GetBytes(routingKey), .. body]));
        return new AuditRecord
        {
            EventId = eventId,
            RoutingKey = routingKey,
            Source = e.Source.Length == 0 ? "unknown" : e.Source,
            Category = e.Category.Length == 0 ? "Unknown" : e.Category,
            Type = e.ListedType.Length == 0 ? "UNKNOWN" : e.ListedType,
            Level = LevelOf(e),
            ResourceType = e.ResourceType,
            ResourceId = e.ResourceUuid,
            Description = DescriptionOf(e),
            // CloudStack's eventDateTime (seconds); its AsyncJobEvents carry none
            OccurredAt = e.EventDateTime ?? receivedAt,
            ReceivedAt = receivedAt,
            Body = Encoding.UTF8.GetString(body),
        };
    }

    private static string LevelOf(CloudStackEvent e) => e.Category switch
    {
        EventCategory.AlertEvent when e["state"] == nameof(AlertState.Resolved) => AuditLevel.Info,
        EventCategory.AlertEvent => e["severity"] switch
        {
            nameof(AlertSeverity.Critical) => AuditLevel.Error,
            nameof(AlertSeverity.Info) => AuditLevel.Info,
            _ => AuditLevel.Warn,
        },
        EventCategory.ActionEvent when e["outcome"] is { } outcome && outcome != "Success" => AuditLevel.Error,
        EventCategory.AsyncJobEvent when e["status"] == "2" => AuditLevel.Error,
        EventCategory.ResourceStateEvent when e["new-state"] is AgentStates.Down or AgentStates.Unresponsive or "Unhealthy" => AuditLevel.Warn,
        _ => e["level"]?.ToUpperInvariant() is AuditLevel.Warn or AuditLevel.Error or AuditLevel.Info
            ? e["level"]!.ToUpperInvariant()
            : AuditLevel.Info,
    };

    /// <summary>A line for a person, from the field the category has for it.</summary>
    private static string DescriptionOf(CloudStackEvent e) => e.Category switch
    {
        EventCategory.ActionEvent => e["description"] ?? $"{e.Type} on {e.ResourceType} {e.ResourceUuid}",
        EventCategory.AlertEvent => e["subject"] ?? $"{e.Type} on {e.ResourceType} {e.ResourceUuid}",
        EventCategory.ResourceStateEvent => $"{e.ResourceType} {e.ResourceUuid}: {e["old-state"] ?? "?"} -> {e["new-state"] ?? "?"}",
        EventCategory.AsyncJobEvent => $"{e["command"]} job {e["jobId"]}: {e.Type} ({e["stage"] ?? "status " + e["status"]})",
        _ => $"{e.Type} on {e.ResourceType} {e.ResourceUuid}",
    };
}
