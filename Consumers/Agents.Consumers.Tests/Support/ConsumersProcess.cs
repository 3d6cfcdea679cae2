using System.Globalization;
using Agents.Testing;

namespace Agents.Consumers.Tests.Support;

/// <summary>The consumers service as the demo runs it: its own process, every setting a --Key=Value flag, its queues and databases its own.</summary>
public sealed class ConsumersProcess : IAsyncDisposable
{
    private ConsumersProcess(ServiceProcess process, string dataDirectory, string auditQueue, string alertQueue)
    {
        Process = process;
        DataDirectory = dataDirectory;
        AuditQueue = auditQueue;
        AlertQueue = alertQueue;
    }

    public ServiceProcess Process { get; }
    public string DataDirectory { get; }
    public string AuditDatabasePath => Path.Combine(DataDirectory, "audit.db");
    public string AlertDatabasePath => Path.Combine(DataDirectory, "alerts.db");
    public string AuditQueue { get; }
    public string AlertQueue { get; }
    /// <summary>This instance's queue of updateConfiguration changes.</summary>
    public string SettingsQueue { get; private init; } = "";
    public string Output => Process.Output;

    /// <summary>The dll built beside this test assembly's configuration (Release or Debug).</summary>
    public static string DllPath => ServiceProcess.DllOf("Consumers/Agents.Consumers");

    /// <summary>Starts the service with the standard test settings plus <paramref name="flags"/> (which win).</summary>
    public static ConsumersProcess Start(string amqpUri, int smtpPort, IEnumerable<string>? flags = null, string? dataDirectory = null, string? queueSuffix = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var suffix = queueSuffix ?? Guid.NewGuid().ToString("N")[..8];
        var data = dataDirectory ?? Path.Combine(Path.GetTempPath(), "agents-consumers-" + suffix);
        Directory.CreateDirectory(data);
        string[] standard =
        [
            $"--RabbitMq:Uri={amqpUri}",
            $"--RabbitMq:ConnectionName=consumers-test-{suffix}",
            $"--Consumers:AuditQueue=consumers.audit-{suffix}",
            $"--Consumers:AlertQueue=consumers.alerts-{suffix}",
            $"--Consumers:InstanceName=test-{suffix}",
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
        var settings = new Dictionary<string, string> { ["DOTNET_ENVIRONMENT"] = "Test" };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) settings[name] = value;
        var process = ServiceProcess.StartDotnet("consumers", DllPath, [.. standard, .. flags ?? []],
            new ServiceProcessOptions { Environment = settings, WorkingDirectory = System.Environment.CurrentDirectory });
        return new ConsumersProcess(process, data, $"consumers.audit-{suffix}", $"consumers.alerts-{suffix}") { SettingsQueue = $"consumers.settings.test-{suffix}" };
    }

    /// <summary>Waits until the service logged that its queues are bound (from then on, events are kept for it).</summary>
    public Task WaitUntilBoundAsync(int queues = 3, double seconds = 90) =>
        Process.WaitUntilAsync(p => p.CountOf("bound to cloudstack-events") >= queues, $"{queues} queues bound to cloudstack-events", seconds);

    /// <summary>SIGTERM, as systemd or the demo stops it; the exit code.</summary>
    public Task<int> TerminateAsync(double seconds = 30) => Process.StopAsync(seconds);

    public Task<int> WaitForExitAsync(double seconds = 60) => Process.WaitForExitAsync(seconds);

    public ValueTask DisposeAsync() => Process.DisposeAsync();
}
