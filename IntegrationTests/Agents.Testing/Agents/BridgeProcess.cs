using System.Globalization;

namespace Agents.Testing;

/// <summary>
/// The real bridge (RouterBridge/Agents.RouterBridge) as a separate process, against a private
/// broker. Its router certificate is issued by the test PKI and put in its data directory, as if
/// it had enrolled with the CA, so it starts without the CA service; health checks are off. It can
/// be killed with SIGKILL and started again on the same data directory and port: each start is a
/// generation, and its output lines carry the generation (<c>[2] …</c>).
/// </summary>
public sealed class BridgeProcess : IAsyncDisposable
{
    private readonly Dictionary<string, string> _settings;
    private readonly List<ServiceProcess> _generations = [];
    private readonly bool _outputToLogFileOnly;

    /// <param name="settings">Bridge settings as environment variables (<c>Bridge__Key</c>), over the defaults here.</param>
    /// <param name="routerId">A fresh one unless given (e.g. <see cref="DevCredentials.RouterId"/> with its own broker user).</param>
    /// <param name="outputToLogFileOnly">Output straight to <see cref="LogFile"/>, not through a pipe (a bridge under load: see <see cref="ServiceProcessOptions.OutputToLogFileOnly"/>).</param>
    public BridgeProcess(TestPki pki, string brokerUri, string directory, IReadOnlyDictionary<string, string>? settings = null, string? routerId = null,
        bool outputToLogFileOnly = false)
    {
        ArgumentNullException.ThrowIfNull(pki);
        RouterId = routerId ?? Guid.NewGuid().ToString();
        DataDirectory = Path.Combine(directory, "bridge-data");
        LogFile = Path.Combine(directory, "bridge.log");
        Port = FreePort.Next();
        _outputToLogFileOnly = outputToLogFileOnly;
        pki.EnrollRouter(DataDirectory, RouterId);
        _settings = new Dictionary<string, string>
        {
            ["RabbitMq__Uri"] = brokerUri,
            ["RabbitMq__ConnectionName"] = $"bridge-{RouterId}",
            ["RabbitMq__MaxReconnectDelaySeconds"] = "2",
            ["Bridge__RouterId"] = RouterId,
            ["Bridge__ListenAddress"] = "127.0.0.1",
            ["Bridge__ListenPort"] = Port.ToString(CultureInfo.InvariantCulture),
            ["Bridge__DataDirectory"] = DataDirectory,
            ["Bridge__SandboxRoot"] = Directory.CreateDirectory(Path.Combine(directory, "router-sandbox")).FullName,
            ["Bridge__HealthChecks__Enabled"] = "false",
            ["DOTNET_ENVIRONMENT"] = "Production",
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string>()) _settings[k] = v;
    }

    public string RouterId { get; }
    public string DataDirectory { get; }
    public string LogFile { get; }
    public int Port { get; }
    private ServiceProcess Current => _generations.LastOrDefault() ?? throw new InvalidOperationException("the bridge was never started");
    public int Pid => Current.Pid;
    /// <summary>The running generation.</summary>
    public ServiceProcess Process => Current;
    public bool HasExited => _generations.Count == 0 || Current.HasExited;

    /// <summary>Every line of every generation, each prefixed with its generation.</summary>
    public IReadOnlyList<string> Lines =>
        _outputToLogFileOnly ? Current.Lines : _generations.SelectMany((g, i) => g.Lines.Select(l => $"[{i + 1}] {l}")).ToList();

    public string Tail(int lines = 60) => string.Join('\n', Lines.TakeLast(lines));

    public int Count(string text) => Lines.Count(l => l.Contains(text, StringComparison.Ordinal));

    /// <summary>Starts a new generation and waits until it listens for agents and consumes its queue.</summary>
    public async Task StartAsync(TimeSpan? timeout = null)
    {
        if (!HasExited) throw new InvalidOperationException("already running");
        var bridge = ServiceProcess.StartDotnet($"bridge-{_generations.Count + 1}", ServiceProcess.DllOf("RouterBridge/Agents.RouterBridge"), [],
            new ServiceProcessOptions { Environment = _settings, LogFile = LogFile, OutputToLogFileOnly = _outputToLogFileOnly });
        _generations.Add(bridge);
        await bridge.WaitUntilAsync(b => b.Logged("listening for agents") && b.Logged($"Consuming agents.router.{RouterId} "),
            "'listening for agents' and its queue consumed", (timeout ?? TimeSpan.FromSeconds(90)).TotalSeconds);
    }

    /// <summary>SIGKILL: no shutdown code runs, nothing is acknowledged or flushed.</summary>
    public Task KillAsync() => _generations.Count == 0 ? Task.CompletedTask : Current.KillAsync();

    public long ResidentBytes() => Current.ResidentBytes();

    public int OpenDescriptors() => Current.OpenDescriptors();

    public TimeSpan CpuTime() => Current.CpuTime();

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        foreach (var generation in _generations) await generation.DisposeAsync();
    }
}
