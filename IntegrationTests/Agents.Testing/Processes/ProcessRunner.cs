using System.Diagnostics;

namespace Agents.Testing;

/// <summary>
/// Runs a command to completion with a time limit (60 s unless told), capturing its output: tools
/// (rabbitmqctl, openssl, python3, a CLI under test). Services that keep running are <see cref="ServiceProcess"/>es.
/// </summary>
public static class ProcessRunner
{
    /// <param name="unset">Variables of this process's environment the command must not inherit.</param>
    public static async Task<ProcessResult> RunAsync(string file, IEnumerable<string> args, IDictionary<string, string>? env = null,
        TimeSpan? timeout = null, string? stdin = null, string? workingDirectory = null, IEnumerable<string>? unset = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        if (workingDirectory is not null) info.WorkingDirectory = workingDirectory;
        foreach (var arg in args) info.ArgumentList.Add(arg);
        foreach (var name in unset ?? []) info.Environment.Remove(name);
        if (env is not null) foreach (var (k, v) in env) info.Environment[k] = v;
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', info.ArgumentList)} did not finish within {timeout ?? TimeSpan.FromSeconds(60)}");
        }
        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }
}
