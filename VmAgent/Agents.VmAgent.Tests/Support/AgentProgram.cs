using Agents.Testing;
using Agents.VmAgent.Core.Client;

namespace Agents.VmAgent.Tests.Support;

/// <summary>
/// The standalone agent program as a child process: <c>dotnet agents-vm-agent.dll</c> from the test output,
/// or the binary named by <c>AGENT_BINARY</c> (e.g. the published single file from ./run publish-agent).
/// </summary>
public static class AgentProgram
{
    /// <summary>The program and the arguments that come before the agent's own.</summary>
    public static (string File, IReadOnlyList<string> Arguments) Command()
    {
        var binary = Environment.GetEnvironmentVariable("AGENT_BINARY");
        if (!string.IsNullOrEmpty(binary)) return (binary, []);
        var dll = Path.Combine(AppContext.BaseDirectory, "agents-vm-agent.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException($"the agent program was not built beside the tests: {dll}");
        return (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", [dll]);
    }

    public static ServiceProcess Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var (file, leading) = Command();
        return ServiceProcess.Start("agent", file, [.. leading, .. arguments], new ServiceProcessOptions
        {
            Environment = environment ?? new Dictionary<string, string>(),
            // the test host's own token must never leak into the child by accident
            Unset = [EnrollmentToken.EnvironmentVariable, EnrollmentToken.LegacyEnvironmentVariable],
        });
    }

    /// <summary>Runs the program to its end (for --version and bad settings): its exit code and all its output.</summary>
    public static async Task<(int ExitCode, string Output)> RunToEndAsync(IEnumerable<string> arguments, double seconds = 30)
    {
        await using var agent = Start(arguments);
        var code = await agent.WaitForExitAsync(seconds);
        return (code, agent.Output);
    }
}
