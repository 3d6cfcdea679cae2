namespace Agents.Producers.Presence;

/// <summary>A router health check's last result (ROUTER.HEALTHCHECK ResourceStateEvents).</summary>
public sealed record HealthCheckInfo(string RouterId, string CheckName, string? CheckType, bool Success, string? Details, DateTimeOffset LastUpdated);
