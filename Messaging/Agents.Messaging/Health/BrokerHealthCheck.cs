using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Agents.Messaging.Health;

/// <summary>Ready while the service's one broker connection is open.</summary>
public sealed class BrokerHealthCheck(IBrokerStatus broker) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(broker.IsConnected
            ? HealthCheckResult.Healthy($"connected to {broker.Broker}")
            : HealthCheckResult.Unhealthy($"not connected to {broker.Broker}"));
}
