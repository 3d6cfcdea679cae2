using System.Diagnostics;
using Agents.VmAgent.Core.Os;

namespace Agents.VmAgent.Core.Recipes;

public sealed record RecipeRunResult(int? ExitCode, string Stdout, string Stderr, bool TimedOut, TimeSpan Duration);

/// <summary>
/// Runs one recipe file as a child process. Parameters arrive only as environment variables; the
/// command line is the interpreter and the script path, nothing else. The environment starts empty
/// (the agent's own variables, such as an enrollment token, never leak in). On Linux the child
/// leads its own session (setsid), so a timeout kills the whole process group, grandchildren too.
/// </summary>
public sealed class RecipeRunner
{
    public const int StdoutLimitBytes = 24 * 1024;
    public const int StderrLimitBytes = 8 * 1024;

    public async Task<RecipeRunResult> RunAsync(string scriptPath, string extension, IReadOnlyDictionary<string, string> environment, TimeSpan timeout, string workingDirectory, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var psi = StartInfo(scriptPath, extension);
        psi.WorkingDirectory = workingDirectory;
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.RedirectStandardInput = true;
        psi.UseShellExecute = false;
        psi.Environment.Clear();
        foreach (var (key, value) in BaseEnvironment()) psi.Environment[key] = value;
        foreach (var (key, value) in environment) psi.Environment[key] = value;

        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {psi.FileName}");
        process.StandardInput.Close();
        var stdout = new BoundedCapture(StdoutLimitBytes);
        var stderr = new BoundedCapture(StderrLimitBytes);
        var drains = Task.WhenAll(stdout.DrainAsync(process.StandardOutput), stderr.DrainAsync(process.StandardError));

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        var timedOut = false;
        try
        {
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            timedOut = true;
            KillTree(process);
            await process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None).ConfigureAwait(false);
        }
        // an escaped grandchild could hold the pipes open: do not wait on it for ever
        await Task.WhenAny(drains, Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None)).ConfigureAwait(false);
        stopwatch.Stop();
        ct.ThrowIfCancellationRequested();
        return new RecipeRunResult(timedOut ? null : process.ExitCode, stdout.ToString(), stderr.ToString(), timedOut, stopwatch.Elapsed);
    }

    private static ProcessStartInfo StartInfo(string scriptPath, string extension)
    {
        var (interpreter, arguments) = extension switch
        {
            ".ps1" => (OperatingSystem.IsWindows() ? "powershell.exe" : "pwsh",
                       new[] { "-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass", "-File", scriptPath }),
            ".yml" => ("ansible-playbook", new[] { "-i", "localhost,", "-c", "local", scriptPath }),
            _ => (OperatingSystem.IsWindows() ? "cmd.exe" : "/bin/sh", OperatingSystem.IsWindows() ? new[] { "/c", scriptPath } : new[] { scriptPath }),
        };
        ProcessStartInfo psi;
        if (!OperatingSystem.IsWindows() && File.Exists("/usr/bin/setsid"))
        {
            // setsid execs in place (the child is not a group leader), so the pid we hold is the group id
            psi = new ProcessStartInfo("/usr/bin/setsid");
            psi.ArgumentList.Add(interpreter);
        }
        else
        {
            psi = new ProcessStartInfo(interpreter);
        }
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        return psi;
    }

    private static void KillTree(Process process)
    {
        if (!OperatingSystem.IsWindows()) _ = Libc.Kill(-process.Id, Libc.SigKill);
        try { process.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { /* already gone */ }
    }

    private static Dictionary<string, string> BaseEnvironment()
    {
        if (OperatingSystem.IsWindows())
        {
            var keep = new[] { "SystemRoot", "SystemDrive", "windir", "PATH", "PATHEXT", "TEMP", "TMP", "ComSpec", "ProgramData", "ProgramFiles" };
            return keep.Where(k => Environment.GetEnvironmentVariable(k) is not null)
                       .ToDictionary(k => k, k => Environment.GetEnvironmentVariable(k)!);
        }
        return new Dictionary<string, string>
        {
            ["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            ["LANG"] = "C.UTF-8",
            ["HOME"] = Environment.GetEnvironmentVariable("HOME") ?? "/root",
        };
    }
}
