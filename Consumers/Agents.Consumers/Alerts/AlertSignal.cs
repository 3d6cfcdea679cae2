using Agents.Consumers.Bus;
using Agents.Contracts.Commands;
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
    /// <exception cref="InvalidEventException">An event of a category whose reader refuses it (an AlertEvent without a subject ...).</exception>
    public static AlertSignal? From(EventDelivery delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var e = delivery.Event;
        var resourceType = e.ResourceType ?? "resource";
        var resourceId = e.ResourceUuid ?? "?";
        var at = delivery.AuditRecord.OccurredAt;
        var description = delivery.AuditRecord.Description;
        // the type the rules bind by: for a job the job event (submit, update, complete), as in the routing key
        var type = e.Type;
        switch (e.Category)
        {
            case EventCategory.AlertEvent:
                var alert = AlertRaised.FromEvent(e);
                return new AlertSignal
                {
                    EventId = delivery.EventId, Category = e.Category, Type = type,
                    State = alert.State, Severity = alert.Severity, GroupKey = alert.GroupKey,
                    ResourceType = resourceType, ResourceId = resourceId,
                    Subject = alert.Subject, Body = alert.Body.Length == 0 ? description : alert.Body,
                    At = at,
                };
            case EventCategory.ResourceStateEvent:
                var state = ResourceStateChanged.FromEvent(e);
                var check = state.Details.GetValueOrDefault("checkName");
                return Derived(BadStates.Contains(state.NewState), check is null ? $"{type}/{resourceId}" : $"{type}/{resourceId}/{check}",
                    $"{resourceType} {resourceId} is {state.NewState}{(check is null ? "" : $" (check {check})")}",
                    description + (state.Details.GetValueOrDefault("details") is { } d ? $": {d}" : "") + (state.Details.GetValueOrDefault("reason") is { } r ? $" ({r})" : ""));
            case EventCategory.ActionEvent:
                var outcome = AgentCommandCompleted.FromEvent(e);
                var result = outcome?.Outcome.ToString() ?? (e["status"] is "Failed" or "Error" ? "Failed" : "Success");
                var failed = result != nameof(CommandOutcome.Success);
                return Derived(failed, $"{type}/{resourceId}",
                    $"{type} on {resourceType} {resourceId}: {result}",
                    description + (outcome?.Message is { } m && !description.Contains(m, StringComparison.Ordinal) ? $"\n{m}" : "") + (outcome?.Stderr is { } err ? $"\nstderr: {err}" : ""));
            case EventCategory.AsyncJobEvent:
                var job = AsyncJobChanged.FromEvent(e);
                if (job.Status == AsyncJobStatus.Pending) return null;
                var jobFailed = job.Status == AsyncJobStatus.Failed;
                return Derived(jobFailed, $"{type}/{job.Command}/{job.InstanceUuid ?? resourceId}",
                    $"Job {job.Command} {(jobFailed ? "failed" : "succeeded")} for {job.InstanceType ?? resourceType} {job.InstanceUuid ?? resourceId}",
                    description + (job.JobResult is { } res ? $"\n{res.GetRawText()}" : ""));
            default:
                return null;
        }

        AlertSignal Derived(bool firing, string groupKey, string subject, string body) => new()
        {
            EventId = delivery.EventId, Category = e.Category, Type = type,
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
