using System.Security.Cryptography.X509Certificates;
using Agents.Contracts.Commands;
using Agents.Contracts.Protocol;
using Agents.RouterBridge.Tests.Support;
using Agents.Security.Identity;
using Agents.Security.Tls;
using Agents.Testing;
using Agents.VmAgent.Core.Identity;
using static Agents.Testing.ListenerProbe;

namespace Agents.RouterBridge.Tests;

/// <summary>
/// The strictness matrix (ca.plugin.root.auth.strictness) through the bridge's own agent listener
/// and TLS wiring, over real TLS with real certificates: with strictness on only a good
/// certificate gets a session; a connection without a certificate may enroll with a valid one-time
/// token (rate-limited per address) and do nothing else, whatever the strictness, and under
/// strictness anything else it does is a reported refusal; a bad certificate is refused either way.
/// </summary>
public sealed class ListenerStrictnessTests : TempPkiTest
{
    private const string VmId = "vm-strict";
    private readonly TestPki _impostorCa = new("Impostor Root CA");

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _impostorCa.Dispose();
        }
        base.Dispose(disposing);
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
        await using var bridge = await ListenerRig.StartAsync(Pki, Temp.Sub("bridge"), strict);
        using var certificate = await CertificateAsync(client, bridge);

        var (outcome, detail) = await TryAsync(bridge.Port, certificate, Hello(), () => bridge.Registry.IsConnected(VmId));

        Assert.True(expected == outcome, $"{client} certificate, strictness {strict}: expected {expected}, got {outcome} ({detail})\n{bridge.Log.All}");
        if (expected == Refused) Assert.Equal(0, bridge.Registry.Count);
        AssertRefusalReported(client, strict, bridge);
    }

    /// <summary>
    /// A refused certificate is reported (the bridge publishes it as AGENT.CONNECTION.REFUSE) with
    /// why and whom it claims; a good one is not, nor a connection without a certificate while
    /// strictness is off (it is only logged).
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
    [InlineData(true)]
    [InlineData(false)]
    public async Task a_connection_without_a_certificate_enrolls_with_its_token_whatever_the_strictness(bool strict)
    {
        await using var bridge = await ListenerRig.StartAsync(Pki, Temp.Sub("bridge"), strict);
        var (key, csr) = AgentIdentityStore.NewKeyAndCsr();
        using var csrKey = key;

        var (outcome, detail) = await TryAsync(bridge.Port, null, new EnrollFrame(bridge.Relay.TokenFor(VmId), csr));

        Assert.True(Enrolled == outcome, $"enroll without a certificate, strictness {strict}: got {outcome} ({detail})\n{bridge.Log.All}");
        using var issued = X509Certificate2.CreateFromPem(detail);
        Assert.Equal(HolderIdentity.Vm(VmId), HolderIdentity.FromCertificate(issued));
        Assert.Empty(bridge.Refusals);
    }

    [Theory]
    [InlineData("hello", true)]
    [InlineData("heartbeat", true)]
    [InlineData("renew", true)]
    [InlineData("result", true)]
    [InlineData("hello", false)]
    [InlineData("heartbeat", false)]
    [InlineData("renew", false)]
    [InlineData("result", false)]
    public async Task a_connection_without_a_certificate_is_refused_any_frame_but_enroll_whatever_the_strictness(string frame, bool strict)
    {
        await using var bridge = await ListenerRig.StartAsync(Pki, Temp.Sub("bridge"), strict);
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
        Assert.Equal(0, bridge.Relay.Enrollments);
        // under strictness the attempt is a refusal, reported (AGENT.CONNECTION.REFUSE); without it, only logged
        Assert.Equal(strict ? 1 : 0, bridge.Refusals.Count);
    }

    [Fact]
    public async Task under_strictness_an_enrollment_with_a_bad_token_is_a_reported_refusal_that_leaves_nothing_behind()
    {
        await using var bridge = await ListenerRig.StartAsync(Pki, Temp.Sub("bridge"), strict: true);
        var (key, csr) = AgentIdentityStore.NewKeyAndCsr();
        using var csrKey = key;

        var (outcome, detail) = await TryAsync(bridge.Port, null, new EnrollFrame("not-a-token-the-ca-made", csr));

        Assert.Equal(Refused, outcome);
        Assert.Contains("unknown enrollment token", detail, StringComparison.Ordinal);
        var refusal = Assert.Single(bridge.Refusals);
        Assert.StartsWith(MutualTls.NoCertificate, refusal.Reason, StringComparison.Ordinal);
        Assert.Contains("unknown enrollment token", refusal.Reason, StringComparison.Ordinal);
        Assert.Null(refusal.ClaimedHolder);
        Assert.Equal(0, bridge.Registry.Count);
        Assert.DoesNotContain("not-a-token-the-ca-made", bridge.Log.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task enrollments_from_one_address_past_the_rate_limit_are_refused_without_reaching_the_ca()
    {
        await using var bridge = await ListenerRig.StartAsync(Pki, Temp.Sub("bridge"), strict: true, enrollmentRateLimit: 2);
        var (key, csr) = AgentIdentityStore.NewKeyAndCsr();
        using var csrKey = key;

        var outcomes = new List<(string Outcome, string Detail)>();
        for (var i = 0; i < 3; i++)
            outcomes.Add(await TryAsync(bridge.Port, null, new EnrollFrame(bridge.Relay.TokenFor($"vm-rate-{i}"), csr)));

        Assert.Equal([Enrolled, Enrolled, Refused], outcomes.Select(o => o.Outcome));
        Assert.Contains("too many enrollment attempts", outcomes[2].Detail, StringComparison.Ordinal);
        Assert.Equal(2, bridge.Relay.Enrollments);
        Assert.Contains("too many enrollment attempts", Assert.Single(bridge.Refusals).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task with_allow_expired_on_an_expired_certificate_of_our_ca_gets_a_session_but_an_impostor_still_does_not()
    {
        await using var bridge = await ListenerRig.StartAsync(Pki, Temp.Sub("bridge"), strict: true, allowExpired: true);
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
                return Pki.IssueWithKey(HolderIdentity.Vm(VmId));
            case "revoked":
                var revoked = Pki.IssueWithKey(HolderIdentity.Vm(VmId));
                bridge.Tls.Revoke(revoked.SerialNumber);
                return revoked;
            case "impostor":
                // names the same VM, issued by a CA the bridge does not trust
                return _impostorCa.IssueWithKey(HolderIdentity.Vm(VmId));
            case "expired":
                var expired = Pki.IssueWithKey(HolderIdentity.Vm(VmId), TimeSpan.FromMilliseconds(500));
                while (expired.NotAfter.ToUniversalTime() >= DateTime.UtcNow) await Task.Delay(100);
                return expired;
            default:
                return null;
        }
    }

    private static HelloFrame Hello() => new(HelloFrame.CurrentProtocolVersion, "test-agent", ["ResetVmPassword"]);
}
