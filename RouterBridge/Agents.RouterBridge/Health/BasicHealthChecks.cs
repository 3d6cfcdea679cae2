using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Agents.Contracts.Commands;
using Agents.Messaging;
using Agents.RouterBridge.Core.Agents;
using Agents.RouterBridge.Identity;
using Agents.VmAgent.Core.Health;
using Microsoft.Extensions.Options;

namespace Agents.RouterBridge.Health;

/// <summary>The router's basic checks: resources against thresholds, the broker, the listener, its own certificate.</summary>
public sealed class BasicHealthChecks(IOptions<BridgeOptions> options, IBrokerStatus broker, RouterIdentity identity, AgentListener listener)
{
    private HealthCheckOptions Thresholds => options.Value.HealthChecks;

    public IReadOnlyList<IHealthCheck> All() =>
    [
        new Check("cpu_usage_check", CpuAsync),
        new Check("memory_usage_check", MemoryAsync),
        new Check("disk_space_check", DiskAsync),
        new Check("broker_connection_check", ct => Task.FromResult(broker.IsConnected ? (true, "connected to the broker") : (false, "not connected to the broker"))),
        new Check("agent_listener_check", ListenerAsync),
        new Check("router_certificate_check", CertificateAsync),
    ];

    private async Task<(bool, string)> CpuAsync(CancellationToken ct)
    {
        var first = ReadCpu();
        await Task.Delay(500, ct).ConfigureAwait(false);
        var second = ReadCpu();
        var busy = second.Busy - first.Busy;
        var total = second.Total - first.Total;
        var percent = total == 0 ? 0 : 100.0 * busy / total;
        return (percent <= Thresholds.MaxCpuPercent, F($"cpu usage {percent:0.0}% (threshold {Thresholds.MaxCpuPercent}%)"));
    }

    private Task<(bool, string)> MemoryAsync(CancellationToken ct)
    {
        var used = ResourceUsage.MemoryUsedPercent() ?? throw new IOException("no /proc/meminfo on this system");
        return Task.FromResult((used <= Thresholds.MaxMemoryPercent, F($"memory usage {used:0.0}% (threshold {Thresholds.MaxMemoryPercent}%)")));
    }

    private Task<(bool, string)> DiskAsync(CancellationToken ct)
    {
        var (freeMb, drive) = ResourceUsage.FreeMegabytes(options.Value.DataDirectory);
        return Task.FromResult((freeMb >= Thresholds.FreeDiskThresholdMb, F($"{freeMb} MB free on {drive} (threshold {Thresholds.FreeDiskThresholdMb} MB)")));
    }

    /// <summary>Connects to the address the listener is bound to (a wildcard through loopback of its family), as an agent would.</summary>
    private async Task<(bool, string)> ListenerAsync(CancellationToken ct)
    {
        IPEndPoint bound;
        try { bound = listener.LocalEndPoint; }
        catch (InvalidOperationException) { return (false, "agent listener not started"); }
        var address = bound.Address.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback
            : bound.Address.Equals(IPAddress.Any) ? IPAddress.Loopback
            : bound.Address;
        using var client = new TcpClient(address.AddressFamily);
        try
        {
            await client.ConnectAsync(address, bound.Port, ct).ConfigureAwait(false);
            return (true, F($"agent listener accepts connections on {bound}"));
        }
        catch (SocketException e)
        {
            return (false, F($"agent listener on {bound} refuses connections: {e.Message}"));
        }
    }

    private Task<(bool, string)> CertificateAsync(CancellationToken ct)
    {
        var notAfter = identity.Certificate.NotAfter.ToUniversalTime();
        var days = (notAfter - DateTime.UtcNow).TotalDays;
        return Task.FromResult((days > Thresholds.CertificateExpiryWarningDays,
            F($"router certificate {identity.Certificate.SerialNumber} expires {notAfter:O} ({days:0.0} days)")));
    }

    private static (long Busy, long Total) ReadCpu()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var idle = fields[3] + (fields.Length > 4 ? fields[4] : 0);
        var total = fields.Sum();
        return (total - idle, total);
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed class Check(string name, Func<CancellationToken, Task<(bool Success, string Details)>> run) : IHealthCheck
    {
        public string Name => name;
        public HealthCheckType Type => HealthCheckType.Basic;

        public async Task<HealthCheckResult> RunAsync(CancellationToken ct)
        {
            var (success, details) = await run(ct).ConfigureAwait(false);
            return new HealthCheckResult(name, HealthCheckType.Basic, success, details, DateTimeOffset.UtcNow);
        }
    }
}
