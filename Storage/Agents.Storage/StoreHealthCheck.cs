using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Agents.Storage;

/// <summary>Ready while a store answers a query: its database file or server is reachable and open.</summary>
public sealed class StoreHealthCheck(Database database) : IHealthCheck
{
    /// <summary>The tag of the checks <c>/health/ready</c> runs (Agents.Messaging.Health.HealthEndpoints.ReadyTag).</summary>
    public const string ReadyTag = "ready";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await database.ScalarAsync("SELECT 1").WaitAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"{database.Provider} store {database.Name} open");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"{database.Provider} store {database.Name}: {e.Message}");
        }
    }
}
