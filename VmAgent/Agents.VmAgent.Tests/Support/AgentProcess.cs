using System.Collections.Concurrent;
using System.Diagnostics;

namespace Agents.VmAgent.Tests.Support;

/// <summary>
/// The real agent program as a child process: <c>dotnet agents-vm-agent.dll</c> from the test output,
/// or the binary named by <c>AGENT_BINARY</c> (e.g. the published single file from ./run publish-agent).
/// </summary>
public sealed class AgentProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    public AgentProcess(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = Start();
        foreach (var argument in arguments) psi.ArgumentList.Add(argument);
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.UseShellExecute = false;
        // the test host's own token must never leak into the child by accident
        psi.Environment.Remove(Core.Client.EnrollmentToken.EnvironmentVariable);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) psi.Environment[key] = value;
        _process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;
    public string Output => string.Join('\n', _output);

    public static ProcessStartInfo Start()
    {
        var binary = Environment.GetEnvironmentVariable("AGENT_BINARY");
        if (!string.IsNullOrEmpty(binary)) return new ProcessStartInfo(binary);
        var dll = Path.Combine(AppContext.BaseDirectory, "agents-vm-agent.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException($"the agent program was not built beside the tests: {dll}");
        var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet");
        psi.ArgumentList.Add(dll);
        return psi;
    }

    /// <summary>Runs the program to its end (for --version and bad settings) and returns its exit code and all output.</summary>
    public static async Task<(int ExitCode, string Output)> RunToEndAsync(IEnumerable<string> arguments, double seconds = 30)
    {
        await using var agent = new AgentProcess(arguments);
        var code = await agent.WaitForExitAsync(seconds);
        return (code, agent.Output);
    }

    public async Task<int> WaitForExitAsync(double seconds = 30)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"the agent process did not exit within {seconds} s; its output:\n{Output}");
        }
        return _process.ExitCode;
    }

    /// <summary>What systemd does on stop.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
