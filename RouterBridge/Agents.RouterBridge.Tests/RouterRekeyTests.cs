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

namespace Agents.RouterBridge.Tests;

/// <summary>
/// The router's own certificate with the real CA process: enrolled with a one-time token, then
/// rekeyed by provisionCertificate (the CA's RekeyCertificate command addressed to the router):
/// a new key, a CSR, a renewal over the bus; new handshakes get the new certificate and the
/// agents already connected keep their sessions.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class RouterRekeyTests(BrokerFixture broker) : IAsyncLifetime
{
    // the router whose bridge user broker-config defines (bridge-<routerId>)
    private const string RouterId = "f3a1c2d4-5b6e-4f70-8a9b-0c1d2e3f4a5b";
    private const string VmId = "vm-rekey";
    private readonly TempDirectory _temp = new();
    private readonly List<IAsyncDisposable> _owned = [];
    private ServiceProcess? _ca, _bridge;
    private RpcClient? _admin;

    public async Task InitializeAsync()
    {
        _ca = ServiceProcess.StartDotnet("ca", ServiceProcess.DllOf("CaAuthority/Agents.CaAuthority"),
        [
            $"--RabbitMq:Uri={broker.AmqpUri("ca")}",
            $"--Ca:DataDirectory={_temp.Sub("ca")}",
            $"--Ca:HttpUrl=http://127.0.0.1:{FreePort.Next()}",
        ], new ServiceProcessOptions { Environment = new Dictionary<string, string> { ["AGENTS_CA_PASSPHRASE"] = "router-rekey-test-passphrase" } });
        await _ca.WaitForOutputAsync("Consuming ca.requests");
        var connection = new BrokerConnection(Options.Create(new RabbitMqOptions { Uri = broker.AmqpUri("admin"), ConnectionName = "bridge-test-admin" }),
            NullLogger<BrokerConnection>.Instance);
        _admin = new RpcClient(connection, NullLogger<RpcClient>.Instance);
        _owned.Add(_admin);
        _owned.Add(connection);
    }

    public async Task DisposeAsync()
    {
        foreach (var process in new[] { _bridge, _ca })
            if (process is not null) await process.DisposeAsync();
        foreach (var owned in _owned) await owned.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public async Task a_rekey_command_for_the_router_renews_its_certificate_through_the_ca_and_keeps_the_agents_connected()
    {
        var routerToken = await TokenAsync(HolderIdentity.Router(RouterId));
        var bridgePort = FreePort.Next();
        var bridgeData = _temp.Sub("bridge");
        _bridge = ServiceProcess.StartDotnet("bridge", ServiceProcess.DllOf("RouterBridge/Agents.RouterBridge"),
        [
            $"--RabbitMq:Uri={broker.AmqpUri("bridge-" + RouterId)}",
            $"--Bridge:RouterId={RouterId}",
            "--Bridge:ListenAddress=127.0.0.1",
            $"--Bridge:ListenPort={bridgePort}",
            $"--Bridge:DataDirectory={bridgeData}",
            $"--Bridge:EnrollmentToken={routerToken}",
            "--Bridge:HealthChecks:Enabled=false",
        ]);
        await _bridge.WaitForOutputAsync($"Consuming agents.router.{RouterId}");
        var root = (await _admin!.CallCaAsync<CaCertificate>(new GetCaCertificate())).Certificate;
        var rootPath = Path.Combine(_temp.Path, "root.pem");
        await File.WriteAllTextAsync(rootPath, root);

        await using var agent = new TestAgent(_temp.Sub("agent"), rootPath, ["127.0.0.1"], bridgePort, await TokenAsync(HolderIdentity.Vm(VmId)));
        await Eventually.TrueAsync(() => agent.Client.IsConnected, $"the agent to enroll and connect\n{_bridge.Output}", 60);
        using var before = await PresentedCertificateAsync(bridgePort);
        Assert.Equal(before.SerialNumber, StoredCertificate(bridgeData).SerialNumber);
        await using var tap = await EventTap.StartAsync(broker.AmqpUri(), "*.ActionEvent.#");

        // provisionCertificate for the router: the CA sends RekeyCertificate to agents.router.<id>, for the router itself
        var requested = await _admin!.CallCaAsync<ProvisionRequested>(new ProvisionCertificate { Holder = HolderIdentity.Router(RouterId).Uri, RouterId = RouterId });
        var outcome = await tap.WaitAsync(t => t.OutcomeOfJob(requested.JobId), $"the outcome of the router's rekey (job {requested.JobId})\n{_bridge.Output}", 60);

        Assert.True(outcome.Outcome == CommandOutcome.Success, $"{outcome.Outcome}: {outcome.Message}\n{_bridge.Output}");
        Assert.Equal(CommandTypes.RekeyCertificate, outcome.CommandType);
        Assert.Null(outcome.VmId);
        Assert.Equal(EventTypes.CertificateRekey, outcome.ToEvent().Type);
        using var stored = StoredCertificate(bridgeData);
        using var after = await PresentedCertificateAsync(bridgePort);
        Assert.NotEqual(before.SerialNumber, after.SerialNumber);
        Assert.Equal(stored.SerialNumber, after.SerialNumber);
        Assert.Equal(HolderIdentity.Router(RouterId), HolderIdentity.FromCertificate(after));
        Assert.NotEqual(before.GetPublicKeyString(), after.GetPublicKeyString());
        using var rootCertificate = X509Certificate2.CreateFromPem(root);
        Assert.Equal(rootCertificate.Subject, after.Issuer);

        Assert.Contains($"was {before.SerialNumber}", _bridge.Output, StringComparison.Ordinal);

        // the session opened before the rekey is still the one the bridge holds
        Assert.True(agent.Client.IsConnected);
        Assert.Equal(1, Count(_bridge.Output, $"agent of VM {VmId} up"));
        Assert.Equal(0, Count(_bridge.Output, $"agent of VM {VmId} down"));
    }

    private async Task<string> TokenAsync(HolderIdentity holder) =>
        (await _admin!.CallCaAsync<EnrollmentTokenCreated>(new CreateEnrollmentToken { Holder = holder.Uri, RouterId = RouterId })).Token;

    /// <summary>The certificate the bridge presents on a new handshake.</summary>
    private static async Task<X509Certificate2> PresentedCertificateAsync(int port)
    {
        await using var ssl = await RawTls.ConnectAsync(port, clientCertificate: null);
        return X509CertificateLoader.LoadCertificate(ssl.RemoteCertificate!.GetRawCertData());
    }

    private static X509Certificate2 StoredCertificate(string dataDirectory) =>
        X509CertificateLoader.LoadCertificateFromFile(Path.Combine(dataDirectory, "router.crt"));

    private static int Count(string output, string text) =>
        output.Split('\n').Count(l => l.Contains(text, StringComparison.Ordinal));
}
