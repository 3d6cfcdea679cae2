using System.Security.Cryptography.X509Certificates;
using Agents.Contracts.Commands;
using Agents.Contracts.Protocol;
using Agents.RouterBridge.Tests.Support;
using Agents.Security.Identity;
using Agents.VmAgent.Core.Identity;
using Agents.VmAgent.Tests.Support;
using static Agents.RouterBridge.Tests.Support.ListenerProbe;

namespace Agents.RouterBridge.Tests;

/// <summary>
/// The strictness matrix (ca.plugin.root.auth.strictness) through the bridge's own agent listener
/// and TLS wiring, over real TLS with real certificates: with strictness on only a good
/// certificate gets a session; with it off a connection without a certificate may enroll and do
/// nothing else, and a bad certificate is refused either way.
/// </summary>
public sealed class ListenerStrictnessTests : IDisposable
{
    private const string VmId = "vm-strict";
    private readonly TempDirectory _temp = new();
    private readonly TestPki _pki = new();
    private readonly TestPki _impostorCa = new("Impostor Root CA");

    public void Dispose()
    {
        _impostorCa.Dispose();
        _pki.Dispose();
        _temp.Dispose();
    }

    public static TheoryData<string, bool, string> Matrix()
    {
        var data = new TheoryData<string, bool, string>();
        foreach (var strict in new[] { true, false })
        {
            data.Add("good", strict, Session);
            data.Add("revoked", strict, Refused);
            data.Add("impostor", strict, Refused);
            data.Add("expired", strict, Refused);
            data.Add("none", strict, Refused);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task only_a_good_certificate_gets_a_session_whatever_the_strictness(string client, bool strict, string expected)
    {
        await using var bridge = await ListenerRig.StartAsync(_pki, _temp.Sub("bridge"), strict);
        using var certificate = await CertificateAsync(client, bridge);

        var (outcome, detail) = await TryAsync(bridge.Port, certificate, Hello(), () => bridge.Registry.IsConnected(VmId));

        Assert.True(expected == outcome, $"{client} certificate, strictness {strict}: expected {expected}, got {outcome} ({detail})\n{bridge.Log.All}");
        if (expected == Refused) Assert.Equal(0, bridge.Registry.Count);
        AssertRefusalReported(client, strict, bridge);
    }

    /// <summary>
    /// A refused certificate is reported (the bridge publishes it as AGENT.CONNECTION.REFUSE) with
    /// why and whom it claims; a good one, or a connection without a certificate that strictness
    /// lets through to the enroll-only rule, is not a certificate refusal.
    /// </summary>
    private static void AssertRefusalReported(string client, bool strict, ListenerRig bridge)
    {
        var refusals = bridge.Refusals.ToList();
        if (client == "good" || (client == "none" && !strict))
        {
            Assert.Empty(refusals);
            return;
        }
        var refusal = Assert.Single(refusals);
        if (client == "none")
        {
            Assert.Contains("no certificate presented", refusal.Reason, StringComparison.Ordinal);
            Assert.Null(refusal.ClaimedHolder);
            return;
        }
        Assert.Equal(HolderIdentity.Vm(VmId), refusal.ClaimedHolder);
        Assert.Contains(refusal.CertificateSerial!, refusal.Reason, StringComparison.OrdinalIgnoreCase);
        if (client == "revoked") Assert.Contains("revoked", refusal.Reason, StringComparison.Ordinal);
        if (client == "impostor") Assert.Contains("Impostor Root CA", refusal.CertificateIssuer, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, Refused)]
    [InlineData(false, Enrolled)]
    public async Task a_connection_without_a_certificate_may_enroll_only_when_strictness_is_off(bool strict, string expected)
    {
        await using var bridge = await ListenerRig.StartAsync(_pki, _temp.Sub("bridge"), strict);
        var (key, csr) = AgentIdentityStore.NewKeyAndCsr();
        using var csrKey = key;

        var (outcome, detail) = await TryAsync(bridge.Port, null, new EnrollFrame(bridge.Relay.TokenFor(VmId), csr));

        Assert.True(expected == outcome, $"enroll without a certificate, strictness {strict}: expected {expected}, got {outcome} ({detail})\n{bridge.Log.All}");
        if (outcome == Enrolled)
        {
            using var issued = X509Certificate2.CreateFromPem(detail);
            Assert.Equal(HolderIdentity.Vm(VmId), HolderIdentity.FromCertificate(issued));
        }
    }

    [Theory]
    [InlineData("hello")]
    [InlineData("heartbeat")]
    [InlineData("renew")]
    [InlineData("result")]
    public async Task with_strictness_off_a_connection_without_a_certificate_is_refused_any_frame_but_enroll(string frame)
    {
        await using var bridge = await ListenerRig.StartAsync(_pki, _temp.Sub("bridge"), strict: false);
        var (key, csr) = AgentIdentityStore.NewKeyAndCsr();
        using var csrKey = key;
        Frame first = frame switch
        {
            "hello" => Hello(),
            "heartbeat" => new HeartbeatFrame(DateTimeOffset.UtcNow),
            "renew" => new RenewFrame(csr),
            _ => new ResultFrame(Guid.NewGuid(), CommandOutcome.Success),
        };

        var (outcome, detail) = await TryAsync(bridge.Port, null, first);

        Assert.Equal(Refused, outcome);
        Assert.Contains("only enroll", detail, StringComparison.Ordinal);
        Assert.Equal(0, bridge.Registry.Count);
        Assert.Equal(0, bridge.Relay.Renewals);
    }

    [Fact]
    public async Task with_allow_expired_on_an_expired_certificate_of_our_ca_gets_a_session_but_an_impostor_still_does_not()
    {
        await using var bridge = await ListenerRig.StartAsync(_pki, _temp.Sub("bridge"), strict: true, allowExpired: true);
        using var expired = await CertificateAsync("expired", bridge);
        using var impostor = await CertificateAsync("impostor", bridge);

        Assert.Equal(Refused, (await TryAsync(bridge.Port, impostor, Hello())).Outcome);
        Assert.Equal(Session, (await TryAsync(bridge.Port, expired, Hello(), () => bridge.Registry.IsConnected(VmId))).Outcome);
    }

    private async Task<X509Certificate2?> CertificateAsync(string client, ListenerRig bridge)
    {
        switch (client)
        {
            case "good":
                return _pki.IssueWithKey(HolderIdentity.Vm(VmId));
            case "revoked":
                var revoked = _pki.IssueWithKey(HolderIdentity.Vm(VmId));
                bridge.Tls.Revoke(revoked.SerialNumber);
                return revoked;
            case "impostor":
                // names the same VM, issued by a CA the bridge does not trust
                return _impostorCa.IssueWithKey(HolderIdentity.Vm(VmId));
            case "expired":
                var expired = _pki.IssueWithKey(HolderIdentity.Vm(VmId), TimeSpan.FromMilliseconds(500));
                while (expired.NotAfter.ToUniversalTime() >= DateTime.UtcNow) await Task.Delay(100);
                return expired;
            default:
                return null;
        }
    }

    private static HelloFrame Hello() => new(HelloFrame.CurrentProtocolVersion, "test-agent", ["ResetVmPassword"]);
}
