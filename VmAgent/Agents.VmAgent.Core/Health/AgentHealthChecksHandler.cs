using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Agents.Contracts;
using Agents.Contracts.Commands;
using Agents.VmAgent.Core.Handlers;

namespace Agents.VmAgent.Core.Health;

/// <summary>
/// RunHealthChecks in a system VM (SSVM, CPVM): the agent's basic checks (free disk, memory, its own
/// certificate) against CloudStack's default thresholds, and the advanced ones, each executable of
/// its health-checks directory. The outcome's stdout is the JSON array of results, as a router's.
/// </summary>
public sealed class AgentHealthChecksHandler(string? scriptsDirectory, Func<X509Certificate2?> certificate) : ICommandHandler
{
    /// <summary>CloudStack's router.health.checks.free.disk.space.threshold default.</summary>
    public const long FreeDiskThresholdMb = 100;
    /// <summary>CloudStack's router.health.checks.max.memory.usage.threshold default.</summary>
    public const double MaxMemoryPercent = 100;
    /// <summary>A certificate with fewer days left fails its check (CloudStack's ca.framework.cert.expiry.alert.period default).</summary>
    public const double CertificateWarningDays = 15;
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(30);

    public string CommandType => CommandTypes.RunHealthChecks;

    public async Task<HandlerResult> HandleAsync(CommandContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = PayloadReader.Read<RunHealthChecks>(context.Command);
        var results = new List<HealthCheckResult>();
        if (request.CheckType is null or HealthCheckType.Basic)
        {
            results.Add(Basic("disk_space_check", () =>
            {
                var (free, drive) = ResourceUsage.FreeMegabytes(context.WorkDirectory);
                return (free >= FreeDiskThresholdMb, F($"{free} MB free on {drive} (threshold {FreeDiskThresholdMb} MB)"));
            }));
            results.Add(Basic("memory_usage_check", () => ResourceUsage.MemoryUsedPercent() is { } used
                ? (used <= MaxMemoryPercent, F($"memory usage {used:0.0}% (threshold {MaxMemoryPercent}%)"))
                : (true, "no /proc/meminfo on this system: not measured")));
            results.Add(Basic("agent_certificate_check", CertificateCheck));
        }
        if (request.CheckType is null or HealthCheckType.Advanced)
        {
            foreach (var script in HealthCheckScripts.In(scriptsDirectory))
            {
                try { results.Add(await HealthCheckScripts.RunAsync(script, ScriptTimeout, ct).ConfigureAwait(false)); }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    results.Add(new HealthCheckResult(HealthCheckScripts.NameOf(script), HealthCheckType.Advanced, false, $"the check itself failed: {e.Message}", DateTimeOffset.UtcNow));
                }
            }
        }
        var failed = results.Count(r => !r.Success);
        return new HandlerResult(CommandOutcome.Success, ExitCode: failed == 0 ? 0 : 1, Stdout: AgentJson.Serialize(results), Message: $"{results.Count} checks, {failed} failed");
    }

    private (bool, string) CertificateCheck()
    {
        using var current = certificate();
        if (current is null) return (false, "the agent has no certificate");
        var notAfter = current.NotAfter.ToUniversalTime();
        var days = (notAfter - DateTime.UtcNow).TotalDays;
        return (days > CertificateWarningDays, F($"agent certificate {current.SerialNumber} expires {notAfter:O} ({days:0.0} days)"));
    }

    private static HealthCheckResult Basic(string name, Func<(bool Success, string Details)> check)
    {
        try
        {
            var (success, details) = check();
            return new HealthCheckResult(name, HealthCheckType.Basic, success, details, DateTimeOffset.UtcNow);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or KeyNotFoundException or System.Security.Cryptography.CryptographicException)
        {
            return new HealthCheckResult(name, HealthCheckType.Basic, false, $"the check itself failed: {e.Message}", DateTimeOffset.UtcNow);
        }
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
