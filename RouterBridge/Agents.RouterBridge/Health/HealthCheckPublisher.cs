using Agents.Contracts.Commands;
using Agents.Contracts.Events;
using Microsoft.Extensions.Logging;
using Agents.Messaging;

namespace Agents.RouterBridge.Health;

/// <summary>
/// Publishes a health check's result as a ROUTER.HEALTHCHECK ResourceStateEvent, and an AlertEvent
/// when the check starts failing (Firing) or passes again (Resolved): for the router itself, or for
/// a system VM whose agent ran it.
/// </summary>
public sealed class HealthCheckPublisher(IEventPublisher publisher, ILogger<HealthCheckPublisher> logger)
{
    /// <summary>Who ran the check: the resource type and id of its events, its alert type, and how alerts name it and what they advise.</summary>
    public sealed record Subject(string ResourceType, string Id, string AlertType, string Title, string Name, string Advice)
    {
        public static Subject Router(string routerId) => new(ResourceTypes.DomainRouter, routerId, EventTypes.AlertRouterHealth, $"Router {routerId}", $"virtual router {routerId}",
            $"Look at the router (getRouterHealthCheckResults id={routerId} performfreshchecks=true); restart or patch it (patchSystemVm) if it does not recover.");

        public static Subject SystemVm(string vmId) => new(ResourceTypes.VirtualMachine, vmId, EventTypes.AlertSystemVmHealth, $"System VM {vmId}", $"system VM {vmId}",
            $"Look at the system VM (getSystemVmHealthCheckResults id={vmId} performfreshchecks=true); patch it (patchSystemVm) or restart it if it does not recover.");
    }

    public async Task PublishAsync(Subject subject, HealthCheckResult result, HealthCheckResult? previous)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(result);
        await publisher.PublishAsync(new RouterHealthChecked
        {
            MessageId = Guid.NewGuid(),
            RouterId = subject.Id,
            ResourceType = subject.ResourceType,
            Result = result,
            PassedBefore = previous?.Success,
        }.ToEvent(), CancellationToken.None).ConfigureAwait(false);

        var startedFailing = !result.Success && previous?.Success != false;
        var recovered = result.Success && previous?.Success == false;
        if (!startedFailing && !recovered) return;
        if (startedFailing) logger.LogWarning("Health check {CheckName} of {Subject} failed: {Details}", result.CheckName, subject.Name, result.Details);
        else logger.LogInformation("Health check {CheckName} of {Subject} recovered", result.CheckName, subject.Name);
        await publisher.PublishAsync(new AlertRaised
        {
            MessageId = Guid.NewGuid(),
            AlertType = subject.AlertType,
            Severity = result.CheckType == HealthCheckType.Basic ? AlertSeverity.Critical : AlertSeverity.Warning,
            State = startedFailing ? AlertState.Firing : AlertState.Resolved,
            GroupKey = $"{(subject.ResourceType == ResourceTypes.DomainRouter ? "router" : "systemvm")}-health/{subject.Id}/{result.CheckName}",
            ResourceType = subject.ResourceType,
            ResourceUuid = subject.Id,
            Subject = startedFailing
                ? $"{subject.Title}: health check {result.CheckName} failed"
                : $"{subject.Title}: health check {result.CheckName} passes again",
            Body = startedFailing
                ? $"The {result.CheckType.ToString().ToLowerInvariant()} health check '{result.CheckName}' of {subject.Name} failed: {result.Details}\n{subject.Advice}"
                : $"The health check '{result.CheckName}' of {subject.Name} passes again: {result.Details}",
            RaisedAt = result.LastUpdated,
        }.ToEvent(), CancellationToken.None).ConfigureAwait(false);
    }
}
