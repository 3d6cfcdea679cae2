namespace Agents.Contracts.Commands;

/// <summary>getRouterHealthCheckResults with performfreshchecks: run the router's checks now. The outcome's stdout is a JSON array of <see cref="HealthCheckResult"/>.</summary>
public sealed record RunHealthChecks
{
    /// <summary>Basic, Advanced, or null for both.</summary>
    public HealthCheckType? CheckType { get; init; }
}
