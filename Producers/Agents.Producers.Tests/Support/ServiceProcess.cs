using System.Collections.Concurrent;
using System.Diagnostics;
using Agents.Testing;

namespace Agents.Producers.Tests.Support;

/// <summary>A service of this repository started as its own process (dotnet its.dll --Key=Value …), stopped with SIGTERM.</summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ServiceProcess(Process process) => _process = process;

    public string Output => string.Join('\n', _output);

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>The dll of a service project, built in the same configuration as the tests.</summary>
    public static string DllOf(string projectDirectory, string assembly)
    {
        var configuration = AppContext.BaseDirectory.Contains("/bin/Debug/", StringComparison.Ordinal) ? "Debug" : "Release";
        var path = Path.Combine(RepositoryPaths.Root, projectDirectory, "bin", configuration, "net10.0", assembly + ".dll");
        if (!File.Exists(path)) throw new InvalidOperationException($"{path} is missing: build {projectDirectory} in {configuration} first");
        return path;
    }

    public static ServiceProcess Start(string dll, IEnumerable<string> args, IDictionary<string, string>? env = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        info.ArgumentList.Add(dll);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        if (env is not null) foreach (var (k, v) in env) info.Environment[k] = v;
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {dll}");
        var service = new ServiceProcess(process);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) service._output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) service._output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    public async Task WaitForOutputAsync(string text, double seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!_output.Any(l => l.Contains(text, StringComparison.Ordinal)))
        {
            if (_process.HasExited) throw new InvalidOperationException($"the process exited ({_process.ExitCode}) before '{text}':\n{Output}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"no '{text}' within {seconds} s:\n{Output}");
            await Task.Delay(100);
        }
    }

    /// <summary>SIGTERM, then waits for a clean exit (kills after the timeout).</summary>
    public async Task<int> StopAsync(double seconds = 30)
    {
        if (_process.HasExited) return _process.ExitCode;
        await ProcessRunner.RunAsync("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        try { await _process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException) { _process.Kill(entireProcessTree: true); await _process.WaitForExitAsync(); return -1; }
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
    }
}
