using System.Diagnostics;
using System.Globalization;
using Agents.Bench.Baseline;
using Agents.Bench.Report;
using Agents.Security.Identity;
using Agents.Testing;

namespace Agents.Bench.Figures;

/// <summary>
/// The baseline of the bridge's scale figures: <see cref="BareTlsServer"/> in its own process, the
/// same CA and kind of certificates, mutual TLS, the same number of idle connections, measured as
/// the bridge is (resident memory after one connection and after N, settled 3 s; connect time in
/// waves of 250; CPU while idle). Its memory per connection is the floor the bridge's is divided by.
/// </summary>
public sealed class BareTlsBaseline(TestPki pki, string directory)
{
    public sealed record Result(int Connections, double ConnectSeconds, double ResidentMiB, double KiBPerConnection, double IdleCpuPercent);

    public async Task<Result> RunAsync(int connections, TimeSpan idleWindow)
    {
        var data = Directory.CreateDirectory(Path.Combine(directory, "bare-tls")).FullName;
        pki.EnrollRouter(data, "bare-tls-baseline");
        var port = FreePort.Next();
        await using var server = ServiceProcess.StartDotnet("bare-tls", ServiceProcess.DllOf("bench/Agents.Bench"),
            [BareTlsServer.Argument, data, port.ToString(CultureInfo.InvariantCulture)]);
        await server.WaitForOutputAsync(BareTlsServer.Ready, 60);
        using var agentCertificate = pki.IssueWithKey(HolderIdentity.Vm("vm-bare-tls"));
        await using var clients = new BareTlsClients(agentCertificate, pki.Root, port);

        await clients.GrowToAsync(1);
        var rssOne = await SettledResidentAsync(server);
        var watch = Stopwatch.StartNew();
        await clients.GrowToAsync(connections);
        var connectSeconds = watch.Elapsed.TotalSeconds;
        var rss = await SettledResidentAsync(server);
        var cpuBefore = server.CpuTime();
        await Task.Delay(idleWindow);
        var idleCpu = (server.CpuTime() - cpuBefore).TotalSeconds / idleWindow.TotalSeconds * 100;
        return new Result(connections, connectSeconds, rss / 1024.0 / 1024, (rss - rssOne) / 1024.0 / (connections - 1), idleCpu);
    }

    private static async Task<long> SettledResidentAsync(ServiceProcess server)
    {
        await Task.Delay(TimeSpan.FromSeconds(3));
        return server.ResidentBytes();
    }
}
