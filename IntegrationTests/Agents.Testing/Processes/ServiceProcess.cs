using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace Agents.Testing;

/// <summary>
/// One service of this repository (or any long-running program) as a real child process, as the
/// demo, the bench and the tests run them: its output is kept (and copied to a log file when asked),
/// it is ready when a line appears or a port accepts connections, it stops with SIGTERM (as systemd
/// stops it) and is killed after a grace period, or at once with SIGKILL, as a crash would.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    /// <summary>Lines kept in memory; a stack left running for days keeps the newest (the log file has them all).</summary>
    private const int KeptLines = 100_000;

    private readonly Process _process;
    private readonly ServiceProcessOptions _options;
    private readonly List<string> _lines = [];
    private readonly List<(string Text, TaskCompletionSource Seen)> _waiters = [];
    private readonly StreamWriter? _log;
    private bool _disposed;

    private ServiceProcess(string name, Process process, ServiceProcessOptions options)
    {
        Name = name;
        _process = process;
        _options = options;
        if (options.OutputToLogFileOnly) return;
        if (options.LogFile is not null) _log = new StreamWriter(options.LogFile, append: true) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Name { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string? LogFile => _options.LogFile;

    /// <summary>Every line of output so far (stdout and stderr as they came).</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            if (_options.OutputToLogFileOnly) return ReadLogFile();
            lock (_lines) return [.. _lines];
        }
    }

    public string Output => string.Join('\n', Lines);

    public static ServiceProcess Start(string name, string file, IEnumerable<string> arguments, ServiceProcessOptions? options = null)
    {
        options ??= new ServiceProcessOptions();
        var info = new ProcessStartInfo(options.OutputToLogFileOnly ? "/bin/sh" : file)
        {
            UseShellExecute = false,
            RedirectStandardOutput = !options.OutputToLogFileOnly,
            RedirectStandardError = !options.OutputToLogFileOnly,
            WorkingDirectory = options.WorkingDirectory ?? Environment.CurrentDirectory,
        };
        if (options.OutputToLogFileOnly)
        {
            if (options.LogFile is null) throw new ArgumentException("OutputToLogFileOnly needs a LogFile", nameof(options));
            // exec: the shell becomes the program, so the pid held here is the program's
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add("exec \"$0\" \"$@\" >> \"$AGENTS_SERVICE_LOG\" 2>&1");
            info.ArgumentList.Add(file);
            info.Environment["AGENTS_SERVICE_LOG"] = options.LogFile;
        }
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        info.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var variable in options.Unset) info.Environment.Remove(variable);
        foreach (var (key, value) in options.Environment) info.Environment[key] = value;
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {name} ({file})");
        return new ServiceProcess(name, process, options);
    }

    /// <summary>A .NET program (<c>dotnet its.dll …</c>), working in its own folder unless told otherwise.</summary>
    public static ServiceProcess StartDotnet(string name, string dll, IEnumerable<string> arguments, ServiceProcessOptions? options = null)
    {
        options ??= new ServiceProcessOptions();
        return Start(name, Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", [dll, .. arguments],
            options with { WorkingDirectory = options.WorkingDirectory ?? Path.GetDirectoryName(dll) });
    }

    /// <summary>
    /// The build output of a project of this repository, in the configuration of the running program
    /// (a Release test run starts Release services; ./run builds the solution first).
    /// </summary>
    public static string DllOf(string projectDirectory, string? assemblyName = null)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        var name = assemblyName ?? Path.GetFileName(projectDirectory.TrimEnd('/'));
        var path = Path.Combine(RepositoryPaths.Root, projectDirectory, "bin", configuration, "net10.0", name + ".dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path} is not built: build {projectDirectory} in {configuration} first (./run builds the solution)", path);
    }

    public bool Logged(string text) => Lines.Any(l => l.Contains(text, StringComparison.Ordinal));

    public int CountOf(string text) => Lines.Count(l => l.Contains(text, StringComparison.Ordinal));

    public string Tail(int lines = 40) => string.Join('\n', Lines.TakeLast(lines));

    /// <summary>Until a line containing <paramref name="text"/> appears; fails early, with the output, if the process exits.</summary>
    public Task WaitForOutputAsync(string text, double seconds = 90) =>
        WaitUntilAsync(service => service.Logged(text), $"'{text}' in its output", seconds);

    /// <summary>
    /// Completes the moment a line containing <paramref name="text"/> arrives (at once if one has), for timing a
    /// start to that line without a polling interval in the figure. It does not end if the process exits: bound it
    /// with <c>WaitAsync</c>; <see cref="WaitForOutputAsync"/> is the wait that fails early.
    /// </summary>
    public Task LineAsync(string text)
    {
        if (_options.OutputToLogFileOnly) throw new InvalidOperationException($"{Name}'s output goes to its log file only: no line can be awaited");
        lock (_lines)
        {
            if (_lines.Any(l => l.Contains(text, StringComparison.Ordinal))) return Task.CompletedTask;
            var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((text, seen));
            return seen.Task;
        }
    }

    /// <summary>Until <paramref name="ready"/> holds (several log lines, a count); fails early, with the output, if the process exits.</summary>
    public async Task WaitUntilAsync(Func<ServiceProcess, bool> ready, string what, double seconds = 90)
    {
        ArgumentNullException.ThrowIfNull(ready);
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!ready(this))
        {
            if (_process.HasExited) throw Died(what);
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{Name}: no {what} within {seconds:0} s{Where()}\n{Tail()}");
            await Task.Delay(100);
        }
    }

    /// <summary>Until <paramref name="host"/>:<paramref name="port"/> accepts a connection.</summary>
    public async Task WaitForPortAsync(string host, int port, double seconds = 90)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            if (_process.HasExited) throw Died($"{host}:{port} open");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(host, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
            catch (SocketException)
            {
                throw new TimeoutException($"{Name} did not open {host}:{port} within {seconds:0} s{Where()}\n{Tail()}");
            }
        }
    }

    /// <summary>Until <paramref name="baseUrl"/>/health/ready answers 200 (broker connected, store open, certificate valid); fails early if the process exits, and with the last answer on time-out.</summary>
    public async Task WaitForReadyAsync(string baseUrl, double seconds = 90)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var url = new Uri(baseUrl.TrimEnd('/') + "/health/ready");
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        var last = "no answer";
        while (true)
        {
            if (_process.HasExited) throw Died($"{url} ready");
            try
            {
                using var response = await http.GetAsync(url);
                if (response.IsSuccessStatusCode) return;
                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                last = e.Message;
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{Name}: {url} not ready within {seconds:0} s (last answer: {last}){Where()}\n{Tail()}");
            await Task.Delay(200);
        }
    }

    /// <summary>Until the process ends by itself (a program run for --version or a bad setting); its exit code.</summary>
    public async Task<int> WaitForExitAsync(double seconds = 60)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        try { await _process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException) { throw new TimeoutException($"{Name} did not exit within {seconds:0} s{Where()}\n{Tail()}"); }
        await _process.WaitForExitAsync(); // the output read to its end
        return _process.ExitCode;
    }

    /// <summary>SIGTERM, as systemd or the demo stops a service (the host settles acks and closes files); SIGKILL after <paramref name="graceSeconds"/>. The exit code.</summary>
    public async Task<int> StopAsync(double graceSeconds = 30)
    {
        if (!_process.HasExited)
        {
            await Signal("TERM");
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(graceSeconds));
            try { await _process.WaitForExitAsync(grace.Token); }
            catch (OperationCanceledException) { Kill(); }
        }
        await _process.WaitForExitAsync();
        return _process.ExitCode;
    }

    /// <summary>SIGKILL, children included: no shutdown code runs, nothing is acknowledged or flushed.</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
    }

    public async Task KillAsync()
    {
        Kill();
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>SIGSTOP / SIGCONT and other signals by name, through kill(1).</summary>
    public async Task Signal(string name)
    {
        if (_process.HasExited) return;
        await ProcessRunner.RunAsync("kill", ["-" + name, Pid.ToString(CultureInfo.InvariantCulture)]);
    }

    /// <summary>Resident memory, from /proc (what the machine's kernel sees).</summary>
    public long ResidentBytes() => ProcStatus.ResidentBytes(Pid);

    /// <summary>Open file descriptors, sockets included, from /proc.</summary>
    public int OpenDescriptors() => Directory.GetFiles($"/proc/{Pid}/fd").Length;

    /// <summary>User and system CPU time used so far.</summary>
    public TimeSpan CpuTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        await StopAsync(graceSeconds: 10);
        lock (_lines) _disposed = true;
        _process.Dispose();
        if (_log is not null) await _log.DisposeAsync();
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_lines)
        {
            _lines.Add(line);
            if (_lines.Count > KeptLines) _lines.RemoveRange(0, KeptLines / 10);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (!line.Contains(_waiters[i].Text, StringComparison.Ordinal)) continue;
                _waiters[i].Seen.TrySetResult();
                _waiters.RemoveAt(i);
            }
            if (!_disposed) _log?.WriteLine(line);
        }
    }

    private List<string> ReadLogFile()
    {
        try
        {
            using var stream = new FileStream(_options.LogFile!, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            return [.. reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries)];
        }
        catch (FileNotFoundException)
        {
            return [];
        }
    }

    private string Where() => _options.LogFile is null ? "" : $" (log: {_options.LogFile})";

    private InvalidOperationException Died(string waitingFor) =>
        new($"{Name} exited with code {_process.ExitCode} before {waitingFor}{Where()}\n{Tail()}");
}
