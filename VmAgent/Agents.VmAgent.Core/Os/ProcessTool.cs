using System.Diagnostics;

namespace Agents.VmAgent.Core.Os;

/// <summary>Runs a system tool with arguments as a list (never a shell line) and optional stdin.</summary>
internal static class ProcessTool
{
    public static async Task<(int ExitCode, string Stderr)> RunAsync(string fileName, IEnumerable<string> arguments, string? stdin, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = stdin is not null,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {fileName}");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin.AsMemory(), ct).ConfigureAwait(false);
            process.StandardInput.Close();
        }
        await process.WaitForExitAsync(ct).ConfigureAwait(false);
        await stdout.ConfigureAwait(false);
        var error = await stderr.ConfigureAwait(false);
        return (process.ExitCode, error.Length > 2048 ? error[..2048] : error);
    }

    public static string? FindOnPath(string name)
    {
        foreach (var dir in new[] { "/usr/sbin", "/sbin", "/usr/bin", "/bin" })
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
