using System.Diagnostics;
using Agents.Contracts.Commands;
using Microsoft.Extensions.Options;

namespace Agents.RouterBridge.Health;

/// <summary>
/// Advanced checks, like the VR's health_checks folder: every executable file in
/// <see cref="HealthCheckOptions.ScriptsDirectory"/> is a check; exit code 0 passes, and what it
/// prints is the detail. A script that overruns its timeout fails and is killed with its children.
/// </summary>
public sealed class ScriptHealthChecks(IOptions<BridgeOptions> options)
{
    public IReadOnlyList<IHealthCheck> All()
    {
        var directory = options.Value.HealthChecks.ScriptsDirectory;
        if (directory is null || !Directory.Exists(directory)) return [];
        return Directory.GetFiles(directory)
            .Where(IsExecutable)
            .Order(StringComparer.Ordinal)
            .Select(path => (IHealthCheck)new ScriptCheck(path, TimeSpan.FromSeconds(options.Value.HealthChecks.ScriptTimeoutSeconds)))
            .ToList();
    }

    private static bool IsExecutable(string path) =>
        OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & UnixFileMode.UserExecute) != 0;

    private sealed class ScriptCheck(string path, TimeSpan timeout) : IHealthCheck
    {
        private const int MaxDetail = 4096;

        public string Name => Path.GetFileNameWithoutExtension(path);
        public HealthCheckType Type => HealthCheckType.Advanced;

        public async Task<HealthCheckResult> RunAsync(CancellationToken ct)
        {
            using var process = Process.Start(new ProcessStartInfo(path)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            }) ?? throw new InvalidOperationException($"could not start {path}");
            var stdout = process.StandardOutput.ReadToEndAsync(ct);
            var stderr = process.StandardError.ReadToEndAsync(ct);
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
            limit.CancelAfter(timeout);
            try
            {
                await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                return Result(false, $"did not finish within {timeout.TotalSeconds:0} s");
            }
            var detail = ((await stdout.ConfigureAwait(false)) + (await stderr.ConfigureAwait(false))).Trim();
            if (detail.Length > MaxDetail) detail = detail[..MaxDetail];
            return Result(process.ExitCode == 0, detail.Length > 0 ? detail : $"exit code {process.ExitCode}");
        }

        private HealthCheckResult Result(bool success, string details) =>
            new(Name, HealthCheckType.Advanced, success, details, DateTimeOffset.UtcNow);
    }
}
