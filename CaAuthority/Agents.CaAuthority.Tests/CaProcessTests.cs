using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Agents.CaAuthority.Store;
using Agents.CaAuthority.Tests.Support;
using Agents.Contracts;
using Agents.Contracts.Ca;
using Agents.Messaging.Rpc;
using Agents.Testing;
using RabbitMQ.Client;
using Agents.Messaging;

namespace Agents.CaAuthority.Tests;

/// <summary>The real CA process on a broker node of its own (so no other CA competes for ca.requests).</summary>
public sealed class CaProcessTests : IClassFixture<BrokerFixture>, IAsyncLifetime
{
    private const string Passphrase = "process test passphrase";
    private readonly BrokerFixture _broker;
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "agents-ca-proc-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly List<IAsyncDisposable> _disposables = [];

    public CaProcessTests(BrokerFixture broker) => _broker = broker;

    [Fact]
    public async Task every_certificate_a_caller_received_is_in_the_store_after_a_sigkill_during_a_burst_of_1000_issuances()
    {
        var port = FreePort.Next();
        var ca = Start(port);
        var rpc = Client();
        await WaitReadyAsync(ca, rpc);
        var csrs = Enumerable.Range(0, 1000).Select(_ => Csr()).ToList();
        var received = new ConcurrentBag<CertificateIssued>();
        var killed = new TaskCompletionSource();

        using var gate = new SemaphoreSlim(32);
        var burst = csrs.Select(async csr =>
        {
            await gate.WaitAsync();
            try
            {
                if (killed.Task.IsCompleted) return;
                var issued = await rpc.CallCaAsync<CertificateIssued>(new IssueCertificate { Csr = csr, DomainNames = ["burst.example.internal"] },
                    TimeSpan.FromSeconds(8));
                received.Add(issued);
                if (received.Count >= 300 && killed.TrySetResult()) ca.Kill();
            }
            catch (Exception e) when (e is RpcException or CaRequestRefusedException) { /* unanswered: the CA died */ }
            finally { gate.Release(); }
        }).ToList();
        await Task.WhenAll(burst);

        Assert.True(killed.Task.IsCompleted, $"the CA was never killed: only {received.Count} answers\n{ca.Output}");
        Assert.True(received.Count < 1000, "the kill came after the burst, not during it");
        var store = new SqlCaStore(Agents.Storage.Database.Sqlite(Path.Combine(_dataDirectory, "ca.db")));
        foreach (var issued in received)
        {
            var stored = await store.FindAsync(issued.SerialNumber);
            Assert.True(stored is not null, $"certificate {issued.SerialNumber} was returned but is not in the store");
            Assert.Equal(issued.Certificate, stored.Pem);
        }
        // the expiry scan's view after the crash: every certificate it must watch
        var watched = (await store.ExpiringAsync(DateTimeOffset.UtcNow.AddDays(365))).Select(c => c.SerialNumber).ToHashSet();
        Assert.Superset(received.Select(r => r.SerialNumber).ToHashSet(), watched);

        // and the CA starts again on the same data, with the same root
        var again = Start(port);
        await WaitReadyAsync(again, rpc);
        var after = await rpc.CallCaAsync<CertificateIssued>(new IssueCertificate { Csr = Csr() });
        Assert.Equal(received.First().CaCertificate, after.CaCertificate);
    }

    [Fact]
    public async Task the_service_takes_its_settings_from_flags_and_environment_keeps_its_key_encrypted_and_stops_cleanly_on_sigterm()
    {
        var port = FreePort.Next();
        var ca = Start(port, new Dictionary<string, string> { ["ca__framework__cert__expiry__alert__period"] = "2" },
            "--ca.plugin.root.issuer.dn=CN=Flag Test CA,O=Agents", "--ca.framework.cert.validity.period=7");
        var rpc = Client();
        await WaitReadyAsync(ca, rpc);

        var issued = await rpc.CallCaAsync<CertificateIssued>(new IssueCertificate { Csr = Csr() });
        using var leaf = X509Certificate2.CreateFromPem(issued.Certificate);
        Assert.Equal("CN=Flag Test CA, O=Agents", leaf.Issuer);
        Assert.InRange((leaf.NotAfter - leaf.NotBefore).TotalDays, 7, 7.01);
        var keyFile = Path.Combine(_dataDirectory, "ca.key");
        Assert.StartsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----", await File.ReadAllTextAsync(keyFile), StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        Assert.DoesNotContain(Passphrase, ca.Output, StringComparison.Ordinal);

        var exit = await ca.StopAsync(graceSeconds: 20);
        Assert.True(exit == 0, $"the CA did not stop cleanly within 20 s of SIGTERM (exit {exit})\n{ca.Output}");
    }

    [Fact]
    public async Task the_scheduled_expiry_scan_alerts_once_and_a_restart_does_not_alert_again()
    {
        await using var connection = await _broker.ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();
        var alerts = (await channel.QueueDeclareAsync("", false, true, true)).QueueName;
        await channel.QueueBindAsync(alerts, Topology.EventsExchange, "*.AlertEvent.ALERT-CA-CERTIFICATE-EXPIRING.#");
        string[] settings = ["--ca.framework.background.task.delay=1", "--ca.framework.cert.automatic.renewal=false"];
        var port = FreePort.Next();
        var ca = Start(port, settings);
        var rpc = Client();
        await WaitReadyAsync(ca, rpc);
        var issued = await rpc.CallCaAsync<CertificateIssued>(new IssueCertificate { DomainNames = ["soon.example.internal"], ValidityDays = 2 });

        var first = await NextAsync(channel, alerts, TimeSpan.FromSeconds(30));
        Assert.True(first is not null, $"no expiry alert within 30 s\n{ca.Output}");
        Assert.Equal($"management-server.AlertEvent.ALERT-CA-CERTIFICATE-EXPIRING.Certificate.{issued.SerialNumber}", first.RoutingKey);
        Assert.Equal(0, await ca.StopAsync(graceSeconds: 20));

        var again = Start(port, settings);
        await WaitReadyAsync(again, rpc);
        // several scans run in these seconds, before and after the restart: none alerts again today
        Assert.Null(await NextAsync(channel, alerts, TimeSpan.FromSeconds(5)));
    }

    internal static async Task<BasicGetResult?> NextAsync(IChannel channel, string queue, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            if (await channel.BasicGetAsync(queue, autoAck: true) is { } delivery) return delivery;
            await Task.Delay(100);
        }
        return null;
    }

    [Fact]
    public async Task a_wrong_setting_stops_the_service_with_a_message_naming_it()
    {
        var ca = Start(FreePort.Next(), "--ca.framework.cert.expiry.alert.period=400");
        Assert.Equal(2, await ca.WaitForExitAsync(30));
        Assert.Contains("ca.framework.cert.expiry.alert.period", ca.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", ca.Output, StringComparison.Ordinal);
    }

    private ServiceProcess Start(int port, params string[] more) => Start(port, new Dictionary<string, string>(), more);

    /// <summary>The CA as the demo starts it: <c>dotnet Agents.CaAuthority.dll --flags</c>, a process of its own.</summary>
    private ServiceProcess Start(int port, IReadOnlyDictionary<string, string> environment, params string[] more)
    {
        var process = CaFixture.StartProcess(CaFixture.Arguments(_broker, _dataDirectory, port, more), Passphrase, environment);
        _disposables.Add(process);
        return process;
    }

    private IRequestClient Client() => TestRpc.Connect(_broker.AmqpUri("producers"), "test", _disposables);

    internal static async Task WaitReadyAsync(ServiceProcess ca, IRequestClient rpc)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (ca.HasExited) Assert.Fail($"the CA process exited with {ca.ExitCode}:\n{ca.Output}");
            try
            {
                await rpc.CallCaAsync<CaProviders>(new ListCaProviders(), TimeSpan.FromSeconds(2));
                return;
            }
            catch (RpcException) when (DateTime.UtcNow < deadline) { await Task.Delay(200); }
            catch (RpcException e) { Assert.Fail($"the CA did not answer within 60 s ({e.Message}):\n{ca.Output}"); }
        }
    }

    internal static string Csr()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new CertificateRequest("CN=burst", key, HashAlgorithmName.SHA256).CreateSigningRequestPem();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        for (var i = _disposables.Count - 1; i >= 0; i--) await _disposables[i].DisposeAsync();
        try { Directory.Delete(_dataDirectory, recursive: true); } catch (IOException) { }
    }
}
