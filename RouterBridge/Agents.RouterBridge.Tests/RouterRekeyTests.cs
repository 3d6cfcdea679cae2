using System.Security.Cryptography.X509Certificates;
using Agents.Contracts.Ca;
using Agents.Contracts.Commands;
using Agents.Contracts.Events;
using Agents.Messaging;
using Agents.Messaging.Rpc;
using Agents.RouterBridge.Tests.Support;
using Agents.Security.Identity;
using Agents.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.DependencyInjection;

namespace Agents.RouterBridge.Tests;

/// <summary>
/// The router's own certificate with the real CA process, while 100 agents hold sessions with the
/// bridge: rotated on demand (provisionCertificate for the router: the CA's RekeyCertificate
/// command to agents.router.&lt;id&gt;) and by the CA's renewal schedule (its expiry scan,
/// ca.framework.background.task.delay, asks for a rekey of a certificate inside
/// ca.framework.cert.expiry.alert.period). Either way the bridge makes a new key, renews over the
/// bus and swaps the certificate in place: new handshakes get the new one, no session is dropped.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class RouterRekeyTests(BrokerFixture broker) : IAsyncLifetime
{
    // the router whose bridge user broker-config defines (bridge-<routerId>)
    private const string RouterId = "f3a1c2d4-5b6e-4f70-8a9b-0c1d2e3f4a5b";
    private const int AgentCount = 100;
    private const string CaPassphrase = "router-rekey-test-passphrase";
    private readonly TempDirectory _temp = new();
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly List<TestAgent> _agents = [];
    private ServiceProcess? _ca, _bridge;
    private IRequestClient? _admin;
    private int _bridgePort;
    private string _rootPath = "";

    private string BridgeData => _temp.Sub("bridge");

    public async Task InitializeAsync()
    {
        var admin = new ServiceCollection().AddLogging()
            .AddRabbitMqMessaging(o => (o.Uri, o.ConnectionName) = (broker.AmqpUri("admin"), "bridge-test-admin"))
            .BuildServiceProvider();
        _owned.Add(admin);
        _admin = admin.GetRequiredService<IRequestClient>();
        await StartCaAsync(scanSeconds: 3600);
    }

    public async Task DisposeAsync()
    {
        foreach (var agent in _agents) await agent.DisposeAsync();
        foreach (var process in new[] { _bridge, _ca })
            if (process is not null) await process.DisposeAsync();
        foreach (var owned in _owned) await owned.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public async Task a_rekey_on_demand_renews_the_routers_certificate_through_the_ca_and_keeps_its_100_agents_connected()
    {
        await StartBridgeAsync(await TokenAsync(HolderIdentity.Router(RouterId)));
        await ConnectAgentsAsync();
        using var before = await PresentedCertificateAsync(_bridgePort);
        Assert.Equal(before.SerialNumber, StoredCertificate().SerialNumber);
        await using var tap = await EventTap.StartAsync(broker.AmqpUri(), "*.ActionEvent.#");

        // provisionCertificate for the router: the CA sends RekeyCertificate to agents.router.<id>, for the router itself
        var requested = await _admin!.CallCaAsync<ProvisionRequested>(new ProvisionCertificate { Holder = HolderIdentity.Router(RouterId).Uri, RouterId = RouterId });
        var outcome = await tap.WaitAsync(t => t.OutcomeOfJob(requested.JobId), $"the outcome of the router's rekey (job {requested.JobId})\n{_bridge!.Output}", 60);

        Assert.True(outcome.Outcome == CommandOutcome.Success, $"{outcome.Outcome}: {outcome.Message}\n{_bridge.Output}");
        Assert.Equal(CommandTypes.RekeyCertificate, outcome.CommandType);
        Assert.Null(outcome.VmId);
        Assert.Equal(EventTypes.CertificateRekey, outcome.ToEvent().Type);
        await AssertRotatedAsync(before);
    }

    [Fact]
    public async Task the_cas_renewal_schedule_rotates_a_router_certificate_close_to_expiry_and_keeps_its_100_agents_connected()
    {
        // a router certificate of one day: inside the 15-day alert period, so due for renewal at the CA's next scan
        var issued = await _admin!.CallCaAsync<CertificateIssued>(new IssueCertificate { Holder = HolderIdentity.Router(RouterId).Uri, RouterId = RouterId, ValidityDays = 1 });
        Directory.CreateDirectory(BridgeData);
        await File.WriteAllTextAsync(Path.Combine(BridgeData, "router.key"), issued.PrivateKey);
        await File.WriteAllTextAsync(Path.Combine(BridgeData, "router.crt"), issued.Certificate);
        await File.WriteAllTextAsync(Path.Combine(BridgeData, "ca.crt"), await RootPemAsync());
        await StartBridgeAsync(token: null);
        await ConnectAgentsAsync();
        using var before = await PresentedCertificateAsync(_bridgePort);
        Assert.Equal(issued.SerialNumber, before.SerialNumber);

        // the same CA with its expiry scan every 2 s: the scan, not a call, asks the router to rekey
        await _ca!.StopAsync();
        await _ca.DisposeAsync();
        await StartCaAsync(scanSeconds: 2);
        try
        {
            await _bridge!.WaitForOutputAsync($"was {before.SerialNumber}", 90);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\nCA:\n{_ca.Output}\nbridge:\n{_bridge!.Output}", e);
        }

        await AssertRotatedAsync(before);
        // asked by the scan: the restarted CA's own RekeyCertificate to the router
        Assert.Contains($"sent to {HolderIdentity.Router(RouterId).Uri} via router {RouterId}", _ca.Output, StringComparison.Ordinal);
    }

    /// <summary>New handshakes get the stored new certificate (new key, same root, same router); all 100 sessions are the ones opened before.</summary>
    private async Task AssertRotatedAsync(X509Certificate2 before)
    {
        using var stored = StoredCertificate();
        using var after = await PresentedCertificateAsync(_bridgePort);
        Assert.NotEqual(before.SerialNumber, after.SerialNumber);
        Assert.Equal(stored.SerialNumber, after.SerialNumber);
        Assert.Equal(HolderIdentity.Router(RouterId), HolderIdentity.FromCertificate(after));
        Assert.NotEqual(before.GetPublicKeyString(), after.GetPublicKeyString());
        Assert.Equal(before.Issuer, after.Issuer);
        Assert.Contains($"was {before.SerialNumber}", _bridge!.Output, StringComparison.Ordinal);

        var output = _bridge.Output;
        Assert.All(_agents, agent => Assert.True(agent.Client.IsConnected));
        for (var i = 0; i < AgentCount; i++)
            Assert.Equal(1, Count(output, $"agent of VM {VmId(i)} up"));
        Assert.Equal(0, Count(output, "down:"));
    }

    private async Task StartCaAsync(int scanSeconds)
    {
        _ca = ServiceProcess.StartDotnet("ca", ServiceProcess.DllOf("CaAuthority/Agents.CaAuthority"),
        [
            $"--RabbitMq:Uri={broker.AmqpUri("ca")}",
            $"--Ca:DataDirectory={_temp.Sub("ca")}",
            $"--Ca:HttpUrl=http://127.0.0.1:{FreePort.Next()}",
            $"--ca.framework.background.task.delay={scanSeconds}",
        ], new ServiceProcessOptions { Environment = new Dictionary<string, string> { ["AGENTS_CA_PASSPHRASE"] = CaPassphrase } });
        await _ca.WaitForOutputAsync("Consuming ca.requests");
    }

    private async Task StartBridgeAsync(string? token)
    {
        _bridgePort = FreePort.Next();
        string[] arguments =
        [
            $"--RabbitMq:Uri={broker.AmqpUri("bridge-" + RouterId)}",
            $"--Bridge:RouterId={RouterId}",
            "--Bridge:ListenAddress=127.0.0.1",
            $"--Bridge:ListenPort={_bridgePort}",
            $"--Bridge:DataDirectory={BridgeData}",
            // the 100 agents all enroll from 127.0.0.1 within seconds
            "--Bridge:EnrollmentRateLimit=0",
            "--Bridge:HealthChecks:Enabled=false",
        ];
        _bridge = ServiceProcess.StartDotnet("bridge", ServiceProcess.DllOf("RouterBridge/Agents.RouterBridge"),
            token is null ? arguments : [.. arguments, $"--Bridge:EnrollmentToken={token}"]);
        await _bridge.WaitForOutputAsync($"Consuming agents.router.{RouterId}");
    }

    /// <summary>100 agents enroll with their one-time tokens through the (strict) bridge and hold sessions.</summary>
    private async Task ConnectAgentsAsync()
    {
        _rootPath = Path.Combine(_temp.Path, "root.pem");
        await File.WriteAllTextAsync(_rootPath, await RootPemAsync());
        for (var i = 0; i < AgentCount; i++)
            _agents.Add(new TestAgent(_temp.Sub($"agent-{i}"), _rootPath, ["127.0.0.1"], _bridgePort, await TokenAsync(HolderIdentity.Vm(VmId(i)))));
        await Eventually.TrueAsync(() => _agents.All(a => a.Client.IsConnected) && Count(_bridge!.Output, "agent of VM vm-rekey-") >= AgentCount,
            $"the {AgentCount} agents to enroll and connect\n{_bridge!.Output}", 180);
    }

    private static string VmId(int i) => $"vm-rekey-{i:000}";

    private async Task<string> RootPemAsync() => (await _admin!.CallCaAsync<CaCertificate>(new GetCaCertificate())).Certificate;

    private async Task<string> TokenAsync(HolderIdentity holder) =>
        (await _admin!.CallCaAsync<EnrollmentTokenCreated>(new CreateEnrollmentToken { Holder = holder.Uri, RouterId = RouterId })).Token;

    /// <summary>The certificate the bridge presents on a new handshake.</summary>
    private static async Task<X509Certificate2> PresentedCertificateAsync(int port)
    {
        await using var ssl = await RawTls.ConnectAsync(port, clientCertificate: null);
        return X509CertificateLoader.LoadCertificate(ssl.RemoteCertificate!.GetRawCertData());
    }

    private X509Certificate2 StoredCertificate() =>
        X509CertificateLoader.LoadCertificateFromFile(Path.Combine(BridgeData, "router.crt"));

    private static int Count(string output, string text) =>
        output.Split('\n').Count(l => l.Contains(text, StringComparison.Ordinal));
}
