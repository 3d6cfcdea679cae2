using System.Diagnostics;
using System.Net.Sockets;

namespace Agents.Demo.Stack;

/// <summary>
/// One service of the stack as a real process: its output goes to &lt;logDir&gt;/&lt;name&gt;.log, it is
/// ready when its port accepts connections (or a line appears in its log), and it stops with
/// SIGTERM, then SIGKILL after a grace period, children included.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly List<string> _recent = [];

    public string Name { get; }
    public string LogPath { get; }
    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;

    private ServiceProcess(string name, Process process, string logPath)
    {
        Name = name;
        _process = process;
        LogPath = logPath;
        _log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public static ServiceProcess Start(string name, string file, IEnumerable<string> args, string logDirectory,
        IDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment["DOTNET_NOLOGO"] = "1";
        if (environment is not null) foreach (var (k, v) in environment) info.Environment[k] = v;
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {name} ({file})");
        return new ServiceProcess(name, process, Path.Combine(logDirectory, name + ".log"));
    }

    /// <summary>A .NET service of this repository, from its Release build.</summary>
    public static ServiceProcess StartDotnet(string name, string dll, IEnumerable<string> args, string logDirectory, IDictionary<string, string>? environment = null) =>
        Start(name, "dotnet", [dll, .. args], logDirectory, environment, Path.GetDirectoryName(dll));

    public async Task WaitForPortAsync(string host, int port, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            if (_process.HasExited) throw Died();
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(host, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(200);
            }
        }
        throw new TimeoutException($"{Name} did not open {host}:{port} within {timeout.TotalSeconds:0} s; see {LogPath}\n{Tail()}");
    }

    public async Task WaitForLogAsync(string text, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            lock (_recent) if (_recent.Any(l => l.Contains(text, StringComparison.Ordinal))) return;
            if (_process.HasExited) throw Died();
            await Task.Delay(100);
        }
        throw new TimeoutException($"{Name} did not log '{text}' within {timeout.TotalSeconds:0} s; see {LogPath}\n{Tail()}");
    }

    public bool Logged(string text)
    {
        lock (_recent) return _recent.Any(l => l.Contains(text, StringComparison.Ordinal));
    }

    public async Task StopAsync(TimeSpan? grace = null)
    {
        if (!_process.HasExited)
        {
            // SIGTERM lets the generic host stop cleanly (acks settle, files close)
            using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await term.WaitForExitAsync();
            using var wait = new CancellationTokenSource(grace ?? TimeSpan.FromSeconds(10));
            try { await _process.WaitForExitAsync(wait.Token); }
            catch (OperationCanceledException) { _process.Kill(entireProcessTree: true); }
        }
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGKILL, as a crash would.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
        await _log.DisposeAsync();
    }

    public string Tail(int lines = 25)
    {
        lock (_recent) return string.Join('\n', _recent.TakeLast(lines));
    }

    private InvalidOperationException Died() =>
        new($"{Name} exited with code {_process.ExitCode}; see {LogPath}\n{Tail()}");

    private void Write(string? line)
    {
        if (line is null) return;
        lock (_recent)
        {
            _recent.Add(line);
            if (_recent.Count > 5000) _recent.RemoveRange(0, 1000);
            _log.WriteLine(line);
        }
    }
}
