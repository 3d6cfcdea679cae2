using Agents.Contracts.Commands;
using Agents.Security.Identity;
using Agents.Testing;
using Agents.VmAgent.Tests.Support;

namespace Agents.VmAgent.Tests;

public sealed class EnrollmentTests : TempPkiTest
{


    [Fact]
    public async Task an_agent_enrolls_with_a_good_token_and_then_holds_a_mutual_tls_session()
    {
        await using var bridge = new TestBridge(Pki);
        var ca = Pki.WriteRootPem(Temp.Path);
        await using var agent = new TestAgent(Temp.Sub("a"), ca, ["127.0.0.1"], bridge.Port, bridge.Relay.TokenFor("vm-a"));

        await Eventually.TrueAsync(() => bridge.Registry.IsConnected("vm-a"), "the enrolled agent to be connected as vm-a");

        using var certificate = agent.Client.CurrentCertificate!;
        Assert.Equal(HolderIdentity.Vm("vm-a"), HolderIdentity.FromCertificate(certificate));
        Assert.Equal(certificate.SerialNumber, bridge.Registry.Snapshot().Single().CertificateSerial);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(agent.DataDirectory, "agent.key")));
    }

    [Fact]
    public async Task a_used_token_is_refused_and_the_agent_keeps_trying_without_crashing()
    {
        await using var bridge = new TestBridge(Pki);
        var ca = Pki.WriteRootPem(Temp.Path);
        var token = bridge.Relay.TokenFor("vm-a");
        await using var first = new TestAgent(Temp.Sub("first"), ca, ["127.0.0.1"], bridge.Port, token);
        await Eventually.TrueAsync(() => bridge.Registry.IsConnected("vm-a"), "the first agent to enroll");

        await using var second = new TestAgent(Temp.Sub("second"), ca, ["127.0.0.1"], bridge.Port, token);
        await Eventually.TrueAsync(() => second.Client.LastError?.Contains("already used", StringComparison.Ordinal) == true, "the reused token to be refused");

        Assert.Null(second.Client.CurrentCertificate);
        Assert.True(second.IsRunning);
        Assert.Single(bridge.Registry.Snapshot());
        Assert.DoesNotContain(token, bridge.Log.All, StringComparison.Ordinal);
        Assert.DoesNotContain(token, second.Log.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_foreign_token_is_refused()
    {
        await using var bridge = new TestBridge(Pki);
        await using var agent = new TestAgent(Temp.Sub("a"), Pki.WriteRootPem(Temp.Path), ["127.0.0.1"], bridge.Port, "token-from-another-cloud");

        await Eventually.TrueAsync(() => agent.Client.LastError?.Contains("unknown enrollment token", StringComparison.Ordinal) == true, "the foreign token to be refused");
        Assert.Null(agent.Client.CurrentCertificate);
        Assert.Equal(0, bridge.Registry.Count);
    }

    [Fact]
    public async Task an_agent_does_not_enroll_with_a_router_from_another_ca()
    {
        using var otherPki = new TestPki("Other Root");
        await using var impostor = new TestBridge(otherPki);
        await using var agent = new TestAgent(Temp.Sub("a"), Pki.WriteRootPem(Temp.Path), ["127.0.0.1"], impostor.Port, impostor.Relay.TokenFor("vm-a"));

        await Eventually.TrueAsync(() => agent.Log.Contains("router certificate refused"), "the impostor router's certificate to be refused");
        Assert.Null(agent.Client.CurrentCertificate);
    }

    [Fact]
    public async Task a_rekey_command_gives_the_agent_a_new_key_and_it_keeps_serving()
    {
        await using var bridge = new TestBridge(Pki);
        await using var agent = new TestAgent(Temp.Sub("a"), Pki.WriteRootPem(Temp.Path), ["127.0.0.1"], bridge.Port, bridge.Relay.TokenFor("vm-a"));
        await Eventually.TrueAsync(() => bridge.Registry.IsConnected("vm-a"), "the agent to connect");
        var before = bridge.Registry.Snapshot().Single().CertificateSerial;

        var result = await bridge.Registry.SendCommandAsync("vm-a", ExecutorFixture.Command("RekeyCertificate", """{"reconnect":true}"""),
            TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(20), default);

        Assert.Equal(CommandOutcome.Success, result.Outcome);
        await Eventually.TrueAsync(() => bridge.Registry.Snapshot() is [{ } p] && p.CertificateSerial != before, "the agent to reconnect with its new certificate");
        var after = await bridge.Registry.SendCommandAsync("vm-a", ExecutorFixture.Command("ResetVmSshKey", """{"username":"alice","publicKeys":["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIRekey alice"]}"""),
            TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(20), default);
        Assert.Equal(CommandOutcome.Success, after.Outcome);
    }

    [Fact]
    public async Task the_agent_renews_at_about_two_thirds_of_its_certificates_lifetime_without_a_restart()
    {
        await using var bridge = new TestBridge(Pki);
        bridge.Relay.Lifetime = TimeSpan.FromSeconds(9);
        await using var agent = new TestAgent(Temp.Sub("a"), Pki.WriteRootPem(Temp.Path), ["127.0.0.1"], bridge.Port, bridge.Relay.TokenFor("vm-a"));
        await Eventually.TrueAsync(() => bridge.Registry.IsConnected("vm-a"), "the agent to connect");
        var first = bridge.Registry.Snapshot().Single().CertificateSerial;

        await Eventually.TrueAsync(() => bridge.Relay.Renewals >= 1, "a renewal before expiry", 12);
        await Eventually.TrueAsync(() => bridge.Registry.Snapshot() is [{ } p] && p.CertificateSerial != first, "the agent to reconnect with the renewed certificate", 10);
        Assert.True(agent.IsRunning);
    }
}
