using Agents.Consumers.Bus;
using Agents.Contracts.Events;

namespace Agents.Consumers.Alerts;

/// <summary>
/// What an event says about a condition: it holds (Firing) or has cleared (Resolved), for the
/// group <see cref="GroupKey"/>. AlertEvents say it themselves (state, severity, groupKey);
/// for the other categories a failure fires and the next success resolves.
/// </summary>
public sealed record AlertSignal
{
    public required string EventId { get; init; }
    public required string Category { get; init; }
    public required string Type { get; init; }
    public required AlertState State { get; init; }
    /// <summary>Null when the event carries none (the rule's severity applies).</summary>
    public AlertSeverity? Severity { get; init; }
    public required string GroupKey { get; init; }
    public required string ResourceType { get; init; }
    public required string ResourceId { get; init; }
    public required string Subject { get; init; }
    public required string Body { get; init; }
    public required DateTimeOffset At { get; init; }

    private static readonly HashSet<string> BadStates = new(StringComparer.OrdinalIgnoreCase)
    { "Down", "Unresponsive", "Unhealthy", "Failed", "Error", "Disconnected", "Alert" };

    /// <summary>The signal of an event, or null when the event says nothing about a condition (a pending job).</summary>
    public static AlertSignal? From(EventDelivery e)
    {
        var resourceType = e.ResourceType ?? "resource";
        var resourceId = e.ResourceId ?? "?";
        var at = e.AuditRecord.OccurredAt;
        var description = e.AuditRecord.Description;
        switch (e.Category)
        {
            case EventCategory.AlertEvent:
                return new AlertSignal
                {
                    EventId = e.EventId, Category = e.Category, Type = e.Type,
                    State = Enum.TryParse<AlertState>(e["state"], true, out var st) ? st : AlertState.Firing,
                    Severity = Enum.TryParse<AlertSeverity>(e["severity"], true, out var sev) ? sev : null,
                    GroupKey = e["groupKey"] ?? $"{e.Type}/{resourceId}",
                    ResourceType = resourceType, ResourceId = resourceId,
                    Subject = e["subject"] ?? $"{e.Type} on {resourceType} {resourceId}",
                    Body = e["body"] ?? description,
                    At = at,
                };
            case EventCategory.ResourceStateEvent:
                var newState = e["new-state"] ?? "";
                var check = e["checkName"];
                return Derived(e, BadStates.Contains(newState), check is null ? $"{e.Type}/{resourceId}" : $"{e.Type}/{resourceId}/{check}",
                    $"{resourceType} {resourceId} is {(newState.Length == 0 ? "in an unknown state" : newState)}{(check is null ? "" : $" (check {check})")}",
                    description + (e["details"] is { } d ? $": {d}" : "") + (e["reason"] is { } r ? $" ({r})" : ""));
            case EventCategory.ActionEvent:
                var outcome = e["outcome"] ?? (e["status"] is "Failed" or "Error" ? "Failed" : "Success");
                var failed = !string.Equals(outcome, "Success", StringComparison.OrdinalIgnoreCase);
                return Derived(e, failed, $"{e.Type}/{resourceId}",
                    $"{e.Type} on {resourceType} {resourceId}: {outcome}",
                    description + (e["message"] is { } m && !description.Contains(m, StringComparison.Ordinal) ? $"\n{m}" : "") + (e["stderr"] is { } err ? $"\nstderr: {err}" : ""));
            case EventCategory.AsyncJobEvent:
                if (e["status"] is not ("1" or "2")) return null;
                return Derived(e, e["status"] == "2", $"{e.Type}/{e["command"]}/{e["instanceUuid"] ?? resourceId}",
                    $"Job {e["command"]} {(e["status"] == "2" ? "failed" : "succeeded")} for {e["instanceType"] ?? resourceType} {e["instanceUuid"] ?? resourceId}",
                    description + (e["jobResult"] is { } res ? $"\n{res}" : ""));
            default:
                return null;
        }

        AlertSignal Derived(EventDelivery ev, bool firing, string groupKey, string subject, string body) => new()
        {
            EventId = ev.EventId, Category = ev.Category, Type = ev.Type,
            State = firing ? AlertState.Firing : AlertState.Resolved,
            Severity = null,
            GroupKey = groupKey,
            ResourceType = resourceType, ResourceId = resourceId,
            Subject = subject, Body = body, At = at,
        };
    }

    public bool Matches(AlertRule rule) =>
        (rule.Categories.Count == 0 || rule.Categories.Contains(Category, StringComparer.OrdinalIgnoreCase))
        && (rule.EventTypes.Count == 0 || rule.EventTypes.Any(t => string.Equals(t, Type, StringComparison.OrdinalIgnoreCase)
                                                                  || string.Equals(RoutingPattern.Word(t), RoutingPattern.Word(Type), StringComparison.OrdinalIgnoreCase)))
        && (rule.ResourceTypes.Count == 0 || rule.ResourceTypes.Contains(ResourceType, StringComparer.OrdinalIgnoreCase));
}
