using Agents.Contracts.Commands;

namespace Agents.RouterBridge.Health;

/// <summary>One router health check; its result has the contract's shape (the stdout of a RunHealthChecks outcome).</summary>
public interface IHealthCheck
{
    string Name { get; }
    HealthCheckType Type { get; }
    Task<HealthCheckResult> RunAsync(CancellationToken ct);
}
