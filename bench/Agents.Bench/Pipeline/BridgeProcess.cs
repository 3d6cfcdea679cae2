using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using Agents.Security.Identity;
using Agents.Testing;
using Agents.VmAgent.Tests.Support;

namespace Agents.Bench.Pipeline;

/// <summary>
/// The real bridge service (Agents.RouterBridge) in its own process, as on a router: its data
/// directory is seeded with a router certificate from the bench CA, so it starts without the CA
/// service; health checks are off so only the relay, the listener and presence events run.
/// Its console (one line per relayed command) goes to a file, as a real router's journal would.
/// </summary>
public sealed class BridgeProcess : IAsyncDisposable
{
    /// <summary>The router named in broker-config (its bridge user may read agents.router.{this}).</summary>
    public const string RouterId = "f3a1c2d4-5b6e-4f70-8a9b-0c1d2e3f4a5b";

    private readonly Process _process;

    private BridgeProcess(Process process, int port, string logPath)
    {
        _process = process;
        Port = port;
        LogPath = logPath;
    }

    public int Port { get; }
    public string LogPath { get; }
    public int Pid => _process.Id;

    public static async Task<BridgeProcess> StartAsync(RabbitMqNode node, TestPki pki, string directory)
    {
        var data = Directory.CreateDirectory(Path.Combine(directory, "data")).FullName;
        using (var router = pki.IssueWithKey(HolderIdentity.Router(RouterId), TimeSpan.FromDays(2)))
        {
            await File.WriteAllTextAsync(Path.Combine(data, "router.crt"), router.ExportCertificatePem());
            await File.WriteAllTextAsync(Path.Combine(data, "router.key"), router.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
            await File.WriteAllTextAsync(Path.Combine(data, "ca.crt"), pki.RootPem);
        }
        var port = FreePort();
        var dll = Path.Combine(RepositoryPaths.Root, "RouterBridge", "Agents.RouterBridge", "bin", "Release", "net10.0", "Agents.RouterBridge.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException($"build the bridge first (dotnet build bench/Agents.Bench -c Release): {dll} is missing");
        var logPath = Path.Combine(directory, "bridge.log");
        var user = "bridge-" + RouterId;
        string[] settings =
        [
            $"--RabbitMq:Uri={node.AmqpUri(user)}",
            "--RabbitMq:ConnectionName=bench-bridge",
            $"--Bridge:RouterId={RouterId}",
            "--Bridge:ListenAddress=127.0.0.1",
            $"--Bridge:ListenPort={port}",
            $"--Bridge:DataDirectory={data}",
            $"--Bridge:SandboxRoot={Directory.CreateDirectory(Path.Combine(directory, "sandbox")).FullName}",
            "--Bridge:HealthChecks:Enabled=false",
        ];
        // exec: the shell becomes the bridge, so the pid we hold is the bridge's
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, WorkingDirectory = Path.GetDirectoryName(dll)! };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("exec dotnet \"$0\" \"$@\" > \"$BENCH_BRIDGE_LOG\" 2>&1");
        info.ArgumentList.Add(dll);
        foreach (var s in settings) info.ArgumentList.Add(s);
        info.Environment["BENCH_BRIDGE_LOG"] = logPath;
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the bridge");
        var bridge = new BridgeProcess(process, port, logPath);
        await bridge.WaitForLogAsync("Consuming agents.router.", TimeSpan.FromSeconds(60));
        return bridge;
    }

    private async Task WaitForLogAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"the bridge exited ({_process.ExitCode}):\n{Tail()}");
            if (File.Exists(LogPath) && (await ReadSharedAsync(LogPath)).Contains(text, StringComparison.Ordinal)) return;
            await Task.Delay(200);
        }
        throw new TimeoutException($"the bridge did not log '{text}' within {timeout.TotalSeconds:0} s:\n{Tail()}");
    }

    /// <summary>Resident memory of the bridge process, from /proc (what the router's kernel sees).</summary>
    public long ResidentBytes() => ProcStatus.Bytes(Pid);

    /// <summary>User + system CPU time the bridge has used so far.</summary>
    public TimeSpan CpuTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    public string Tail(int lines = 30)
    {
        try { return string.Join('\n', ReadSharedAsync(LogPath).GetAwaiter().GetResult().Split('\n').TakeLast(lines)); }
        catch (IOException) { return "(no log)"; }
    }

    private static async Task<string> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }

    private static int FreePort()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        return ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
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
