using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Agents.Security.Identity;
using Agents.Testing;
using Agents.VmAgent.Tests.Support;

namespace Agents.ReliabilityTests.Support;

/// <summary>
/// The real bridge (RouterBridge/Agents.RouterBridge) as a separate process, against a private
/// broker. Its router certificate is issued by the test PKI and put in its data directory, as if
/// it had enrolled with the CA, so it starts without the CA service. It can be killed with
/// SIGKILL and started again on the same data directory and port.
/// </summary>
public sealed class BridgeProcess : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly Dictionary<string, string> _settings;
    private Process? _process;
    private int _generation;

    public BridgeProcess(TestPki pki, string brokerUri, string directory, IReadOnlyDictionary<string, string>? settings = null)
    {
        RouterId = Guid.NewGuid().ToString();
        DataDirectory = Directory.CreateDirectory(Path.Combine(directory, "bridge-data")).FullName;
        Port = FreePort.Next();
        using (var certificate = pki.IssueWithKey(HolderIdentity.Router(RouterId), TimeSpan.FromDays(30)))
        using (var key = certificate.GetECDsaPrivateKey()!)
        {
            File.WriteAllText(Path.Combine(DataDirectory, "router.key"), key.ExportPkcs8PrivateKeyPem());
            File.WriteAllText(Path.Combine(DataDirectory, "router.crt"), certificate.ExportCertificatePem());
            File.WriteAllText(Path.Combine(DataDirectory, "ca.crt"), pki.RootPem);
        }
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
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string>()) _settings[k] = v;
    }

    public string RouterId { get; }
    public string DataDirectory { get; }
    public int Port { get; }
    public int Pid => _process?.Id ?? throw new InvalidOperationException("not started");
    public bool HasExited => _process?.HasExited ?? true;
    public IReadOnlyCollection<string> Lines => _lines;
    public string Tail(int lines = 60) => string.Join('\n', _lines.TakeLast(lines));
    public int Count(string text) => _lines.Count(l => l.Contains(text, StringComparison.Ordinal));

    /// <summary>The bridge's build output, beside this test assembly's configuration (Release or Debug).</summary>
    public static string Assembly
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
            var path = Path.Combine(RepositoryPaths.Root, "RouterBridge", "Agents.RouterBridge", "bin", configuration, "net10.0", "Agents.RouterBridge.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"the bridge is not built: {path} (dotnet build RouterBridge/Agents.RouterBridge -c {configuration})");
        }
    }

    /// <summary>Starts the process and waits until it listens for agents and consumes its queue.</summary>
    public async Task StartAsync(TimeSpan? timeout = null)
    {
        if (_process is { HasExited: false }) throw new InvalidOperationException("already running");
        var generation = ++_generation;
        var info = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(Assembly)!,
        };
        info.ArgumentList.Add(Assembly);
        foreach (var (k, v) in _settings) info.Environment[k] = v;
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        _process?.Dispose();
        _process = Process.Start(info) ?? throw new InvalidOperationException("could not start the bridge");
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) _lines.Enqueue($"[{generation}] {e.Data}"); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _lines.Enqueue($"[{generation}] {e.Data}"); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(90));
        bool Ready(string text) => _lines.Any(l => l.StartsWith($"[{generation}]", StringComparison.Ordinal) && l.Contains(text, StringComparison.Ordinal));
        while (!(Ready("listening for agents") && Ready($"Consuming agents.router.{RouterId} ")))
        {
            if (_process.HasExited) throw new InvalidOperationException($"the bridge exited with {_process.ExitCode}:\n{Tail()}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the bridge did not get ready:\n{Tail()}");
            await Task.Delay(100);
        }
    }

    /// <summary>SIGKILL: no shutdown code runs, nothing is acknowledged or flushed.</summary>
    public async Task KillAsync()
    {
        if (_process is null || _process.HasExited) return;
        _process.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>Resident memory of the process, from /proc.</summary>
    public long ResidentBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        throw new InvalidOperationException("no VmRSS");
    }

    /// <summary>Open file descriptors of the process (sockets included), from /proc.</summary>
    public int OpenDescriptors() => Directory.GetFiles($"/proc/{Pid}/fd").Length;

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
    }
}
