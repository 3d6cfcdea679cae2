namespace Agents.Contracts.Commands;

/// <summary>One health check's result (a router's or a system VM's), in the shape of CloudStack's getRouterHealthCheckResults (the stdout of a <see cref="RunHealthChecks"/> outcome).</summary>
public sealed record HealthCheckResult(string CheckName, HealthCheckType CheckType, bool Success, string Details, DateTimeOffset LastUpdated);
