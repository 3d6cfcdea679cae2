namespace Agents.Contracts.Commands;

/// <summary>getRouterHealthCheckResults or getSystemVmHealthCheckResults with performfreshchecks: run the checks of the router (no vmId) or of the system VM's agent now. The outcome's stdout is a JSON array of <see cref="HealthCheckResult"/>.</summary>
public sealed record RunHealthChecks
{
    /// <summary>Basic, Advanced, or null for both.</summary>
    public HealthCheckType? CheckType { get; init; }
}
