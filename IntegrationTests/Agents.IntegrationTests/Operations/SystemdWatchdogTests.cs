using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;
using Agents.Testing;

namespace Agents.IntegrationTests.Operations;

/// <summary>
/// A service under systemd's notify protocol, with this test in systemd's place: the datagram socket
/// named by NOTIFY_SOCKET receives READY=1 (Microsoft.Extensions.Hosting.Systemd) and the watchdog's
/// WATCHDOG=1 pings that WatchdogSec= in the units asks for (WATCHDOG_USEC). The library believes it
/// runs under systemd when its parent process is named systemd (10.0's check): the parent here is a
/// shell started through a link named so.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class SystemdWatchdogTests(BrokerFixture broker) : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task a_service_under_systemd_says_ready_and_feeds_the_watchdog()
    {
        var socketPath = Path.Combine(_temp.Path, "notify.sock");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(socketPath));
        var received = new ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource();
        var listening = ListenAsync(socket, received, stop.Token);

        var healthUrl = $"http://127.0.0.1:{FreePort.Next()}";
        var systemd = Path.Combine(_temp.Path, "systemd");
        File.CreateSymbolicLink(systemd, "/bin/sh");
        // the shell stays the service's parent and hands systemd's SIGTERM on
        const string parent = "\"$0\" \"$@\" & child=$!\ntrap 'kill -TERM $child; wait $child; exit' TERM\nwait $child";
        await using var consumers = ServiceProcess.Start("consumers", systemd,
        [
            "-c", parent, Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", ServiceProcess.DllOf("Consumers/Agents.Consumers"),
            $"--RabbitMq:Uri={broker.AmqpUri("consumers")}",
            $"--Health:Url={healthUrl}",
            $"--Consumers:AuditQueue=consumers.audit-watchdog-{Guid.NewGuid():N}",
            $"--Consumers:AlertQueue=consumers.alerts-watchdog-{Guid.NewGuid():N}",
            $"--Consumers:AuditDatabasePath={_temp.Sub("audit")}/audit.db",
            $"--Consumers:AlertDatabasePath={_temp.Sub("alerts")}/alerts.db",
            "--Smtp:Host=127.0.0.1",
            $"--Smtp:Port={FreePort.Next()}",
        ],
        // systemd passes WatchdogSec= as microseconds; 2 s here, so the pings come every second
        new ServiceProcessOptions { Environment = new Dictionary<string, string> { ["NOTIFY_SOCKET"] = socketPath, ["WATCHDOG_USEC"] = "2000000" } });

        var seen = await Eventually.WithinAsync(() => Task.FromResult(received.Contains("READY=1") && received.Count(m => m == "WATCHDOG=1") >= 3), 90);
        await stop.CancelAsync();
        await listening;

        Assert.True(seen, $"the notify socket received [{string.Join(", ", received)}]; service output:\n{consumers.Tail()}");
    }

    private static async Task ListenAsync(Socket socket, ConcurrentQueue<string> received, CancellationToken ct)
    {
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var n = await socket.ReceiveAsync(buffer, SocketFlags.None, ct);
                foreach (var line in Encoding.UTF8.GetString(buffer, 0, n).Split('\n', StringSplitOptions.RemoveEmptyEntries)) received.Enqueue(line);
            }
        }
        catch (OperationCanceledException)
        {
            // the test has what it waited for, or gave up
        }
    }

    public void Dispose() => _temp.Dispose();
}
