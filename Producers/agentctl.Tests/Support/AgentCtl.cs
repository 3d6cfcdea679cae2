using Agents.Testing;

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
        var settings = new Dictionary<string, string> { ["COLUMNS"] = "200" };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) settings[key] = value;
        var run = await ProcessRunner.RunAsync(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet",
            [Path.Combine(AppContext.BaseDirectory, "agentctl.dll"), .. arguments], settings,
            workingDirectory: workingDirectory, unset: ["AGENTS_API_URL", "AGENTS_API_KEY", "AGENTS_SECRET_KEY"]);
        return new CliRun(run.ExitCode, run.Stdout, run.Stderr);
    }
}
