namespace Agents.RouterBridge.Health;

public enum HealthCheckType { Basic, Advanced }

/// <summary>One check's last result, in the shape of CloudStack's getRouterHealthCheckResults.</summary>
public sealed record HealthCheckResult(string CheckName, HealthCheckType CheckType, bool Success, string Details, DateTimeOffset LastUpdated);

public interface IHealthCheck
{
    string Name { get; }
    HealthCheckType Type { get; }
    Task<HealthCheckResult> RunAsync(CancellationToken ct);
}
