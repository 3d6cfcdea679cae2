using System.Diagnostics;

namespace Agents.Cli.Tests.Support;

public sealed record CliRun(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}

/// <summary>agentctl as a process (<c>dotnet agentctl.dll</c> from the test output), in a scratch directory, with a clean environment.</summary>
public static class AgentCtl
{
    public static async Task<CliRun> RunAsync(IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "agentctl.dll"));
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        foreach (var name in new[] { "AGENTS_API_URL", "AGENTS_API_KEY", "AGENTS_SECRET_KEY" }) psi.Environment.Remove(name);
        psi.Environment["COLUMNS"] = "200";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) psi.Environment[key] = value;
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try { await process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException)
        {
            process.Kill(true);
            Assert.Fail($"agentctl did not exit within 60 s: {await stdout}{await stderr}");
        }
        return new CliRun(process.ExitCode, await stdout, await stderr);
    }
}
