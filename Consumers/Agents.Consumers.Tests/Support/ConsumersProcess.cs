using System.Diagnostics;
using System.Globalization;
using System.Text;
using Agents.Testing;

namespace Agents.Consumers.Tests.Support;

/// <summary>The consumers service as the demo runs it: its own process, every setting a --Key=Value flag.</summary>
public sealed class ConsumersProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    public string DataDirectory { get; }
    public string AuditDatabasePath => Path.Combine(DataDirectory, "audit.db");
    public string AlertDatabasePath => Path.Combine(DataDirectory, "alerts.db");
    public string AuditQueue { get; }
    public string AlertQueue { get; }

    private ConsumersProcess(Process process, string dataDirectory, string auditQueue, string alertQueue)
    {
        _process = process;
        DataDirectory = dataDirectory;
        AuditQueue = auditQueue;
        AlertQueue = alertQueue;
        process.OutputDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Output { get { lock (_output) return _output.ToString(); } }
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    /// <summary>The dll built beside this test assembly's configuration (Release or Debug).</summary>
    public static string DllPath
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains("/bin/Debug/", StringComparison.Ordinal) ? "Debug" : "Release";
            var path = Path.Combine(RepositoryPaths.Root, "Consumers", "Agents.Consumers", "bin", configuration, "net10.0", "Agents.Consumers.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"build Consumers/Agents.Consumers first ({path} missing)");
        }
    }

    /// <summary>Starts the service with the standard test settings plus <paramref name="flags"/> (which win).</summary>
    public static ConsumersProcess Start(string amqpUri, int smtpPort, IEnumerable<string>? flags = null, string? dataDirectory = null, string? queueSuffix = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var suffix = queueSuffix ?? Guid.NewGuid().ToString("N")[..8];
        var data = dataDirectory ?? Path.Combine(Path.GetTempPath(), "agents-consumers-" + suffix);
        Directory.CreateDirectory(data);
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(DllPath);
        string[] standard =
        [
            $"--RabbitMq:Uri={amqpUri}",
            $"--RabbitMq:ConnectionName=consumers-test-{suffix}",
            $"--Consumers:AuditQueue=consumers.audit-{suffix}",
            $"--Consumers:AlertQueue=consumers.alerts-{suffix}",
            $"--Consumers:AuditDatabasePath={Path.Combine(data, "audit.db")}",
            $"--Consumers:AlertDatabasePath={Path.Combine(data, "alerts.db")}",
            "--Smtp:Host=127.0.0.1",
            $"--Smtp:Port={smtpPort.ToString(CultureInfo.InvariantCulture)}",
            "--Smtp:TimeoutSeconds=10",
            "--Alerts:GroupWaitSeconds=2",
            "--Alerts:PollIntervalSeconds=0.2",
            "--Alerts:MaxRetryDelaySeconds=1",
            "--Alerts:Rules:0:Recipients:0=cloud-ops@example.org",
            "--Alerts:Rules:0:Recipients:1=oncall@example.org",
        ];
        foreach (var flag in standard.Concat(flags ?? [])) info.ArgumentList.Add(flag);
        info.Environment["DOTNET_ENVIRONMENT"] = "Test";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start dotnet Agents.Consumers.dll");
        return new ConsumersProcess(process, data, $"consumers.audit-{suffix}", $"consumers.alerts-{suffix}");
    }

    /// <summary>Waits until the service logged that its queues are bound (from then on, events are kept for it).</summary>
    public async Task WaitUntilBoundAsync(int queues = 2, double seconds = 90)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (CountOf("bound to cloudstack-events") < queues)
        {
            if (_process.HasExited) Assert.Fail($"the consumers process exited ({_process.ExitCode}):\n{Output}");
            if (DateTime.UtcNow > deadline) Assert.Fail($"the consumers process did not bind its queues within {seconds} s:\n{Output}");
            await Task.Delay(100);
        }
    }

    private int CountOf(string text)
    {
        var output = Output;
        int count = 0, at = 0;
        while ((at = output.IndexOf(text, at, StringComparison.Ordinal)) >= 0) { count++; at += text.Length; }
        return count;
    }

    /// <summary>SIGTERM, as systemd or the demo stops it; returns the exit code.</summary>
    public async Task<int> TerminateAsync(double seconds = 30)
    {
        if (!_process.HasExited)
            await ProcessRunner.RunAsync("/bin/kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        try { await _process.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            Assert.Fail($"the consumers process did not stop within {seconds} s of SIGTERM:\n{Output}");
        }
        return _process.ExitCode;
    }

    public async Task<int> WaitForExitAsync(double seconds = 60)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
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
