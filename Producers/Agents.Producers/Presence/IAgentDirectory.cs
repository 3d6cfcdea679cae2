namespace Agents.Producers.Presence;

/// <summary>Agents and router health checks as the bridges last reported them.</summary>
public interface IAgentDirectory
{
    /// <summary>Keeps the newest state only: an older event arriving late changes nothing.</summary>
    Task RecordAsync(AgentInfo agent, CancellationToken ct);

    Task RecordAsync(HealthCheckInfo check, CancellationToken ct);

    Task<IReadOnlyList<AgentInfo>> ListAsync(string? routerId, string? vmId, CancellationToken ct);

    Task<IReadOnlyList<HealthCheckInfo>> HealthAsync(string routerId, CancellationToken ct);
}
