using Agents.RouterBridge.Tests.Support;
using Agents.Security.Identity;
using Agents.Testing;
using static Agents.Testing.ListenerProbe;

namespace Agents.RouterBridge.Tests;

/// <summary>
/// The bridge's CRL refresh (Bridge:CrlUrl, Bridge:CrlRefreshSeconds) on the real bridge process:
/// the CA's signed CRL is loaded at start and on every refresh, a CRL whose signature does not
/// verify is refused with a clear log line and changes nothing, and an agent revoked by a newly
/// loaded CRL is cut off and cannot come back.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class CrlRefreshTests(BrokerFixture broker) : TempPkiTest, IAsyncLifetime
{
    private readonly TestPki _impostorCa = new("Impostor Root CA");
    private readonly CrlServer _crl = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _crl.DisposeAsync();
        _impostorCa.Dispose();
    }

    [Fact]
    public async Task the_crl_is_loaded_at_start_a_badly_signed_one_is_refused_and_a_new_one_cuts_off_the_agent_it_revokes()
    {
        using var revokedAtStart = Pki.IssueWithKey(HolderIdentity.Vm("vm-revoked-at-start"));
        _crl.Serve(Pki.Crl(1, revokedAtStart.SerialNumber));
        await using var bridge = new BridgeProcess(Pki, broker.AmqpUri(), Temp.Path, new Dictionary<string, string>
        {
            ["Bridge__CrlUrl"] = _crl.Url,
            ["Bridge__CrlRefreshSeconds"] = "5",
        });
        await bridge.StartAsync();

        // at start: the CRL's serial is refused at the handshake
        await Eventually.TrueAsync(() => bridge.Count("CRL 1 from") > 0, $"the bridge to load CRL 1 at start\n{bridge.Tail()}", 30);
        Assert.Equal(Refused, (await TryAsync(bridge.Port, revokedAtStart, Hello())).Outcome);

        var dir = Temp.Sub("agent-b");
        Pki.EnrollAgent(Path.Combine(dir, "data"), "vm-b");
        await using var agent = new TestAgent(dir, Pki.WriteRootPem(Temp.Path), ["127.0.0.1"], bridge.Port, token: null);
        await Eventually.TrueAsync(() => agent.Client.IsConnected, $"agent vm-b to connect\n{bridge.Tail()}", 30);
        using var agentCertificate = agent.Client.CurrentCertificate!;

        // a CRL that does not verify against the bridge's CA: refused, logged, nothing changes
        _crl.Serve(_impostorCa.Crl(2, agentCertificate.SerialNumber));
        await Eventually.TrueAsync(() => bridge.Count("not loaded") > 0, $"the bridge to refuse the impostor's CRL\n{bridge.Tail()}", 30);
        var refusal = bridge.Lines.First(l => l.Contains("not loaded", StringComparison.Ordinal));
        Assert.Contains(_crl.Url, refusal, StringComparison.Ordinal);
        Assert.Contains("signature does not verify", refusal, StringComparison.Ordinal);
        Assert.True(agent.Client.IsConnected, "an unverified CRL cut an agent off");
        Assert.Equal(Refused, (await TryAsync(bridge.Port, revokedAtStart, Hello())).Outcome);
        Assert.Equal(0, bridge.Count("CRL 2 from"));

        // the CA's next CRL revokes vm-b: its session is closed and it cannot come back
        _crl.Serve(Pki.Crl(3, revokedAtStart.SerialNumber, agentCertificate.SerialNumber));
        await Eventually.TrueAsync(() => bridge.Count("CRL 3 from") > 0, $"the bridge to load CRL 3\n{bridge.Tail()}", 30);
        await Eventually.TrueAsync(() => bridge.Count("agent of VM vm-b down: certificate revoked (CRL)") > 0,
            $"the bridge to cut off vm-b\n{bridge.Tail()}", 10);
        Assert.Equal(Refused, (await TryAsync(bridge.Port, agentCertificate, Hello())).Outcome);
        var ups = bridge.Count("agent of VM vm-b up");
        await Task.Delay(TimeSpan.FromSeconds(2));
        // the bridge's word, not the agent's IsConnected: the agent keeps retrying, and on each retry it counts
        // itself connected from its hello until its first read learns of the refusal (TLS 1.3), so under load
        // a sample of that flag can land inside a refused attempt
        Assert.Equal(ups, bridge.Count("agent of VM vm-b up"));
        Assert.True(_crl.Requests >= 3);
    }

    private static Agents.Contracts.Protocol.HelloFrame Hello() => new(1, "test-agent", []);
}
