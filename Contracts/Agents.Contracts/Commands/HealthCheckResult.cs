namespace Agents.Contracts.Commands;

/// <summary>One router health check's result, in the shape of CloudStack's getRouterHealthCheckResults (the stdout of a <see cref="RunHealthChecks"/> outcome).</summary>
public sealed record HealthCheckResult(string CheckName, HealthCheckType CheckType, bool Success, string Details, DateTimeOffset LastUpdated);
