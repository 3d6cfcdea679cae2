namespace Agents.Producers.Presence;

/// <summary>An agent as the bridges last reported it (AGENT.STATE ResourceStateEvents).</summary>
public sealed record AgentInfo(
    string VmId, string? RouterId, string State, string? AgentVersion, string? Address,
    string? CertificateSerial, string? CertificateNotAfter, string? Capabilities, string? Reason, DateTimeOffset Changed);

/// <summary>A router health check's last result (ROUTER.HEALTHCHECK ResourceStateEvents).</summary>
public sealed record HealthCheckInfo(string RouterId, string CheckName, string? CheckType, bool Success, string? Details, DateTimeOffset LastUpdated);

public interface IAgentDirectory
{
    /// <summary>Keeps the newest state only: an older event arriving late changes nothing.</summary>
    Task RecordAsync(AgentInfo agent, CancellationToken ct);

    Task RecordAsync(HealthCheckInfo check, CancellationToken ct);

    Task<IReadOnlyList<AgentInfo>> ListAsync(string? routerId, string? vmId, CancellationToken ct);

    Task<IReadOnlyList<HealthCheckInfo>> HealthAsync(string routerId, CancellationToken ct);
}
