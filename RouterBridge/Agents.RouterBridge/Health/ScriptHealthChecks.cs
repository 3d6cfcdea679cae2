using Agents.Contracts.Commands;
using Agents.VmAgent.Core.Health;
using Microsoft.Extensions.Options;

namespace Agents.RouterBridge.Health;

/// <summary>
/// Advanced checks, like the VR's health_checks folder: every executable file in
/// <see cref="HealthCheckOptions.ScriptsDirectory"/> is a check, run as <see cref="HealthCheckScripts"/> runs it.
/// </summary>
public sealed class ScriptHealthChecks(IOptions<BridgeOptions> options)
{
    public IReadOnlyList<IHealthCheck> All() =>
        HealthCheckScripts.In(options.Value.HealthChecks.ScriptsDirectory)
            .Select(path => (IHealthCheck)new ScriptCheck(path, TimeSpan.FromSeconds(options.Value.HealthChecks.ScriptTimeoutSeconds)))
            .ToList();

    private sealed class ScriptCheck(string path, TimeSpan timeout) : IHealthCheck
    {
        public string Name => HealthCheckScripts.NameOf(path);
        public HealthCheckType Type => HealthCheckType.Advanced;

        public Task<HealthCheckResult> RunAsync(CancellationToken ct) => HealthCheckScripts.RunAsync(path, timeout, ct);
    }
}
