using System.Diagnostics;
using Agents.Contracts.Commands;

namespace Agents.VmAgent.Core.Health;

/// <summary>
/// Advanced checks, like the VR's health_checks folder: every executable file of a directory is a
/// check; exit code 0 passes, and what it prints is the detail. A script that overruns its timeout
/// fails and is killed with its children. The router's bridge and a system VM's agent both run them.
/// </summary>
public static class HealthCheckScripts
{
    private const int MaxDetail = 4096;

    /// <summary>The executable files of <paramref name="directory"/> in name order; none when it is unset or missing.</summary>
    public static IReadOnlyList<string> In(string? directory)
    {
        if (directory is null || !Directory.Exists(directory)) return [];
        return Directory.GetFiles(directory).Where(IsExecutable).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The check's name: the script's file name without extension.</summary>
    public static string NameOf(string path) => Path.GetFileNameWithoutExtension(path);

    public static async Task<HealthCheckResult> RunAsync(string path, TimeSpan timeout, CancellationToken ct)
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
            return Result(path, false, $"did not finish within {timeout.TotalSeconds:0} s");
        }
        var detail = ((await stdout.ConfigureAwait(false)) + (await stderr.ConfigureAwait(false))).Trim();
        if (detail.Length > MaxDetail) detail = detail[..MaxDetail];
        return Result(path, process.ExitCode == 0, detail.Length > 0 ? detail : $"exit code {process.ExitCode}");
    }

    private static HealthCheckResult Result(string path, bool success, string details) =>
        new(NameOf(path), HealthCheckType.Advanced, success, details, DateTimeOffset.UtcNow);

    private static bool IsExecutable(string path) =>
        OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & UnixFileMode.UserExecute) != 0;
}
