using System.Collections.Concurrent;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Agents.Contracts.Commands;
using Agents.ReliabilityTests.Support;
using Agents.Security.Identity;
using Agents.Testing;
using Xunit.Abstractions;
using Agents.Messaging.Internal;

namespace Agents.ReliabilityTests;

/// <summary>
/// Bad input on the bridge's agent port (the real bridge process): random bytes, plaintext to the
/// TLS port, stalled handshakes, bad frames after a good handshake with and without a client
/// certificate. The process stays up and answers commands, every hostile connection is closed by
/// the bridge, and its descriptors and memory come back to where they were.
/// </summary>
[Collection(BridgeCollection.Name)]
public sealed class ListenerFuzzTests(BrokerFixture broker, ITestOutputHelper output)
{
    private const string GoodVm = "vm-fuzz-good";
    private static readonly TimeSpan CloseWithin = TimeSpan.FromSeconds(25);

    [Fact]
    public Task hostile_connections_to_the_agent_port_leave_the_bridge_up_responsive_and_bounded() => FuzzAsync(scale: 1);

    [Fact]
    [Trait("Category", "Slow")]
    public Task ten_times_the_hostile_connections_leave_the_bridge_up_responsive_and_bounded() => FuzzAsync(scale: 10);

    private async Task FuzzAsync(int scale)
    {
        // strictness off: a connection without a certificate reaches the enroll-only path, so that is fuzzed too
        await using var rig = new BridgeRig(broker, new Dictionary<string, string> { ["Bridge__AuthStrictness"] = "false" });
        await rig.Bridge.StartAsync();
        await using var agent = rig.Agent(GoodVm);
        await using var tap = await EventTap.StartAsync(broker.AmqpUri());
        await Eventually.TrueAsync(() => rig.Bridge.Count($"agent of VM {GoodVm} up") > 0, "the good agent to connect", 60);
        await RoundTripAsync(rig, tap, "before");
        var (rss0, fd0) = (rig.Bridge.ResidentBytes(), rig.Bridge.OpenDescriptors());

        var random = new Random(20261124);
        var certificates = Enumerable.Range(0, 8).Select(i => rig.Pki.IssueWithKey(HolderIdentity.Vm($"vm-fuzz-{i}"))).ToList();
        var tried = new ConcurrentDictionary<string, int>();
        var notClosed = new ConcurrentQueue<string>();
        try
        {
            // 1. stalled: held open all at once, while a real command goes through
            var stalled = new List<(string Kind, Stream Stream, IDisposable Owner)>();
            for (var i = 0; i < 100 * scale; i++)
            {
                var tcp = await HostileClient.TcpAsync(rig.Bridge.Port);
                stalled.Add(("stalled TCP (nothing sent)", tcp.GetStream(), tcp));
            }
            for (var i = 0; i < 20 * scale; i++)
            {
                var tcp = await HostileClient.TcpAsync(rig.Bridge.Port);
                await tcp.GetStream().WriteAsync(HostileClient.PartialClientHello);
                stalled.Add(("stalled TLS handshake (partial ClientHello)", tcp.GetStream(), tcp));
            }
            for (var i = 0; i < 20 * scale; i++)
            {
                var ssl = await RawTls.ConnectAsync(rig.Bridge.Port, i % 2 == 0 ? certificates[i % certificates.Count] : null);
                stalled.Add((i % 2 == 0 ? "TLS with a VM certificate, then silence" : "TLS without a certificate, then silence", ssl, ssl));
            }
            var fdPeak = rig.Bridge.OpenDescriptors();
            await RoundTripAsync(rig, tap, $"with {stalled.Count} stalled connections held");
            var closed = await Task.WhenAll(stalled.Select(s => HostileClient.ClosedByPeerAsync(s.Stream, CloseWithin)));
            for (var i = 0; i < stalled.Count; i++)
            {
                tried.AddOrUpdate(stalled[i].Kind, 1, (_, n) => n + 1);
                if (!closed[i]) notClosed.Enqueue(stalled[i].Kind);
                stalled[i].Owner.Dispose();
            }

            // 2. one hostile connection per case, 16 at a time
            var cases = new List<(string Kind, Func<Task<bool>> Run)>();
            for (var i = 0; i < 100 * scale; i++)
            {
                var bytes = new byte[random.Next(1, 4096)];
                random.NextBytes(bytes);
                cases.Add(("random bytes instead of TLS", () => SendRawAsync(rig.Bridge.Port, bytes)));
            }
            foreach (var (name, bytes) in HostileClient.Plaintext)
                for (var i = 0; i < 4 * scale; i++) cases.Add(($"plaintext to the TLS port: {name}", () => SendRawAsync(rig.Bridge.Port, bytes)));
            foreach (var (name, make) in HostileClient.BadFrames)
            {
                for (var i = 0; i < 10 * scale; i++)
                {
                    var bytes = make(random);
                    var certificate = certificates[i % certificates.Count];
                    cases.Add(($"after TLS with a VM certificate: {name}", () => SendAfterTlsAsync(rig.Bridge.Port, certificate, bytes, name)));
                }
                for (var i = 0; i < 5 * scale; i++)
                {
                    var bytes = make(random);
                    cases.Add(($"after TLS without a certificate: {name}", () => SendAfterTlsAsync(rig.Bridge.Port, null, bytes, name)));
                }
            }
            using var gate = new SemaphoreSlim(16);
            await Task.WhenAll(cases.Select(async c =>
            {
                await gate.WaitAsync();
                try
                {
                    tried.AddOrUpdate(c.Kind, 1, (_, n) => n + 1);
                    if (!await c.Run()) notClosed.Enqueue(c.Kind);
                }
                finally { gate.Release(); }
            }));

            // 3. everything given back, and the bridge still works
            await Eventually.WithinAsync(() => Task.FromResult(rig.Bridge.OpenDescriptors() <= fd0 + 8), 30);
            var (rss1, fd1) = (rig.Bridge.ResidentBytes(), rig.Bridge.OpenDescriptors());
            await RoundTripAsync(rig, tap, "after");

            foreach (var (kind, count) in tried.OrderBy(t => t.Key, StringComparer.Ordinal)) output.WriteLine($"{count,5} x {kind}");
            output.WriteLine($"{tried.Values.Sum()} hostile connections tried ({tried.Count} kinds); {notClosed.Count} not closed by the bridge within {CloseWithin.TotalSeconds:0} s; "
                + $"descriptors {fd0} before, {fdPeak} at the peak, {fd1} after; resident memory {rss0 / 1048576} MB before, {rss1 / 1048576} MB after; "
                + $"{rig.Bridge.Count("WRN")} warnings logged, bridge pid {rig.Bridge.Pid} still running: {!rig.Bridge.HasExited}");

            Assert.False(rig.Bridge.HasExited, rig.Bridge.Tail());
            Assert.True(notClosed.IsEmpty, "left open by the bridge: " + string.Join(", ", notClosed.Distinct()));
            Assert.True(fdPeak >= fd0 + 100 * scale, $"the stalled connections were not all held at once ({fd0} -> {fdPeak})");
            Assert.True(fd1 <= fd0 + 8, $"descriptors not given back: {fd0} before, {fd1} after");
            Assert.True(rss1 - rss0 < 200L * 1024 * 1024, $"resident memory grew from {rss0 / 1048576} MB to {rss1 / 1048576} MB");
            Assert.False(rig.Bridge.Lines.Any(l => l.Contains("failed unexpectedly", StringComparison.Ordinal)), rig.Bridge.Tail());
        }
        finally
        {
            foreach (var certificate in certificates) certificate.Dispose();
        }
    }

    /// <summary>A command to the good agent through the bus and the bridge: the bridge still does its job.</summary>
    private async Task RoundTripAsync(BridgeRig rig, EventTap tap, string when)
    {
        var command = rig.Command(GoodVm, CommandTypes.ResetVmSshKey, BridgeRig.SshKey());
        var started = DateTime.UtcNow;
        await new BusPublisher(rig.Publisher).SendAsync(command);
        await Eventually.TrueAsync(() => tap.For(command.CommandId).Count > 0, $"the command {when} the fuzzing to complete", 60);
        Assert.Equal(CommandOutcome.Success, tap.For(command.CommandId)[0].Outcome);
        output.WriteLine($"command {when}: {tap.For(command.CommandId)[0].Outcome} after {(DateTime.UtcNow - started).TotalMilliseconds:0} ms");
    }

    private static async Task<bool> SendRawAsync(int port, byte[] bytes)
    {
        using var tcp = await HostileClient.TcpAsync(port);
        var stream = tcp.GetStream();
        try { await stream.WriteAsync(bytes); }
        catch (IOException) { return true; } // the bridge hung up mid-write
        return await HostileClient.ClosedByPeerAsync(stream, CloseWithin);
    }

    private static async Task<bool> SendAfterTlsAsync(int port, X509Certificate2? certificate, byte[] bytes, string name)
    {
        SslStream ssl;
        try { ssl = await RawTls.ConnectAsync(port, certificate); }
        catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException or SocketException) { return true; }
        await using (ssl)
        {
            try
            {
                await ssl.WriteAsync(bytes);
                await ssl.FlushAsync();
            }
            catch (IOException) { return true; }
            // a truncated frame is finished by hanging up, as a crashing client would
            if (name.StartsWith("truncated", StringComparison.Ordinal)) return true;
            return await HostileClient.ClosedByPeerAsync(ssl, CloseWithin);
        }
    }
}
