using System.Net;
using System.Text.Json;
using Agents.Contracts;
using Agents.Contracts.Commands;
using Agents.Contracts.Protocol;
using Agents.RouterBridge.Core.Agents;
using Agents.Security.Sealing;
using Agents.Testing;
using Agents.VmAgent.Core.Crypto;
using Agents.VmAgent.Core.Journal;
using Agents.VmAgent.Core.Policy;
using Agents.VmAgent.Tests.Support;

namespace Agents.VmAgent.Tests;

public sealed class CommandRelayTests : TempPkiTest
{
    private static readonly TimeSpan Delivery = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Execution = TimeSpan.FromSeconds(30);


    private static CommandFrame Command(string type, string json, Guid? id = null) => ExecutorFixture.Command(type, json, id);

    private async Task<TestAgent> ConnectedAgentAsync(TestBridge bridge, string vmId, string dir, IReadOnlyList<string>? routers = null, AgentPolicy? policy = null)
    {
        var agent = new TestAgent(Temp.Sub(dir), Pki.WriteRootPem(Temp.Path), routers ?? ["127.0.0.1"], bridge.Port, bridge.Relay.TokenFor(vmId), policy);
        await Eventually.TrueAsync(() => bridge.Registry.IsConnected(vmId), $"the agent of {vmId} to connect");
        return agent;
    }

    [Fact]
    public async Task a_sealed_password_reset_lands_in_the_sandbox_shadow_as_a_sha512_hash_of_the_new_password()
    {
        await using var bridge = new TestBridge(Pki);
        await using var agent = await ConnectedAgentAsync(bridge, "vm-a", "a");
        using var certificate = agent.Client.CurrentCertificate!;
        const string password = "N3w-p@ss w0rd';$(id)";
        var sealedPassword = SecretSealer.Seal(password, certificate);
        var payload = AgentJson.Serialize(new ResetVmPassword { Username = "root", SealedPassword = sealedPassword });

        var result = await bridge.Registry.SendCommandAsync("vm-a", Command("ResetVmPassword", payload), Delivery, Execution, default);

        Assert.True(result.Outcome == CommandOutcome.Success, result.Message);
        var hash = agent.Sandbox.ShadowHash("root");
        Assert.NotNull(hash);
        Assert.StartsWith("$6$", hash, StringComparison.Ordinal);
        Assert.True(Sha512Crypt.Verify(password, hash!));
        Assert.DoesNotContain(password, agent.Log.All, StringComparison.Ordinal);
        Assert.DoesNotContain(password, bridge.Log.All, StringComparison.Ordinal);
        Assert.DoesNotContain(password, payload, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_password_sealed_to_another_certificate_is_rejected()
    {
        await using var bridge = new TestBridge(Pki);
        await using var agent = await ConnectedAgentAsync(bridge, "vm-a", "a");
        using var other = Pki.IssueWithKey(Security.Identity.HolderIdentity.Vm("vm-a"));
        var payload = AgentJson.Serialize(new ResetVmPassword { Username = "root", SealedPassword = SecretSealer.Seal("pw", other) });

        var result = await bridge.Registry.SendCommandAsync("vm-a", Command("ResetVmPassword", payload), Delivery, Execution, default);

        Assert.Equal(CommandOutcome.Rejected, result.Outcome);
        Assert.Null(agent.Sandbox.ShadowHash("root"));
    }

    [Fact]
    public async Task an_ssh_key_reset_writes_the_key_to_authorized_keys_with_mode_0600()
    {
        await using var bridge = new TestBridge(Pki);
        await using var agent = await ConnectedAgentAsync(bridge, "vm-a", "a");
        const string key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBridgeTestKey alice@example";

        var result = await bridge.Registry.SendCommandAsync("vm-a", Command("ResetVmSshKey", $$"""{"username":"alice","publicKeys":["{{key}}"]}"""), Delivery, Execution, default);

        Assert.True(result.Outcome == CommandOutcome.Success, result.Message);
        var path = agent.Sandbox.AuthorizedKeysPath("alice");
        Assert.Contains(key, await File.ReadAllLinesAsync(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public async Task the_agent_connects_over_ipv6_loopback()
    {
        await using var bridge = new TestBridge(Pki);
        await using var agent = await ConnectedAgentAsync(bridge, "vm-6", "six", routers: ["::1"]);

        var remote = (IPEndPoint)bridge.Registry.Snapshot().Single().RemoteEndPoint!;
        Assert.Equal(IPAddress.IPv6Loopback, remote.Address);
        var result = await bridge.Registry.SendCommandAsync("vm-6", Command("ResetVmSshKey", """{"username":"bob","publicKeys":["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAISix bob"]}"""), Delivery, Execution, default);
        Assert.Equal(CommandOutcome.Success, result.Outcome);
    }

    [Fact]
    public async Task an_agent_presenting_vm_a_certificate_never_receives_vm_b_command()
    {
        await using var bridge = new TestBridge(Pki);
        await using var agentA = await ConnectedAgentAsync(bridge, "vm-a", "a");

        var forB = await bridge.Registry.SendCommandAsync("vm-b",
            Command("ResetVmSshKey", """{"username":"eve","publicKeys":["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIForB eve"]}"""),
            TimeSpan.FromSeconds(1), Execution, default);

        Assert.Equal(CommandOutcome.DeliveryTimedOut, forB.Outcome);
        Assert.False(File.Exists(agentA.Sandbox.AuthorizedKeysPath("eve")));
        // the journal holds no record: vm-a's agent never started the command meant for vm-b
        Assert.Equal(0, new FileInfo(Path.Combine(agentA.DataDirectory, "journal", CommandJournal.LogName)).Length);
    }

    [Fact]
    public async Task a_command_waits_for_a_booting_vm_within_the_delivery_timeout()
    {
        await using var bridge = new TestBridge(Pki);
        var token = bridge.Relay.TokenFor("vm-late");
        var pending = bridge.Registry.SendCommandAsync("vm-late",
            Command("ResetVmSshKey", """{"username":"alice","publicKeys":["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILate alice"]}"""), Delivery, Execution, default);
        await Task.Delay(500);
        await using var agent = new TestAgent(Temp.Sub("late"), Pki.WriteRootPem(Temp.Path), ["127.0.0.1"], bridge.Port, token);

        Assert.Equal(CommandOutcome.Success, (await pending).Outcome);
    }

    [Fact]
    public async Task a_result_that_does_not_come_within_the_execution_timeout_is_execution_timed_out()
    {
        await using var bridge = new TestBridge(Pki);
        var dir = Temp.Sub("slow");
        var recipes = Directory.CreateDirectory(Path.Combine(dir, "recipes")).FullName;
        await File.WriteAllTextAsync(Path.Combine(recipes, "slow.sh"), "sleep 5\n");
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(recipes, "slow.sh"))));
        await using var agent = new TestAgent(dir, Pki.WriteRootPem(Temp.Path), ["127.0.0.1"], bridge.Port, bridge.Relay.TokenFor("vm-s"),
            TestPolicies.WithRecipes(new RecipePolicy("slow", hash)));
        await Eventually.TrueAsync(() => bridge.Registry.IsConnected("vm-s"), "the agent to connect");

        var result = await bridge.Registry.SendCommandAsync("vm-s", Command("RunRecipe", """{"name":"slow","timeoutSeconds":30}"""), Delivery, TimeSpan.FromSeconds(1), default);

        Assert.Equal(CommandOutcome.ExecutionTimedOut, result.Outcome);
    }

    [Fact]
    public async Task a_command_redelivered_after_an_agent_restart_does_not_run_twice()
    {
        await using var bridge = new TestBridge(Pki);
        var dir = Temp.Sub("restart");
        var counter = Path.Combine(dir, "count");
        var recipes = Directory.CreateDirectory(Path.Combine(dir, "recipes")).FullName;
        await File.WriteAllTextAsync(Path.Combine(recipes, "count.sh"), $"echo run >> '{counter}'\n");
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(recipes, "count.sh"))));
        var policy = TestPolicies.WithRecipes(new RecipePolicy("count", hash));
        var command = Command("RunRecipe", """{"name":"count"}""");
        var ca = Pki.WriteRootPem(Temp.Path);

        ResultFrame first;
        await using (var agent = new TestAgent(dir, ca, ["127.0.0.1"], bridge.Port, bridge.Relay.TokenFor("vm-r"), policy))
        {
            await Eventually.TrueAsync(() => bridge.Registry.IsConnected("vm-r"), "the agent to connect");
            first = await bridge.Registry.SendCommandAsync("vm-r", command, Delivery, Execution, default);
        }
        await Eventually.TrueAsync(() => !bridge.Registry.IsConnected("vm-r"), "the stopped agent to be gone");

        // the restarted agent has its certificate already: no token
        await using var restarted = new TestAgent(dir, ca, ["127.0.0.1"], bridge.Port, token: null, policy);
        var redelivered = await bridge.Registry.SendCommandAsync("vm-r", command, Delivery, Execution, default);

        Assert.Equal(CommandOutcome.Success, first.Outcome);
        Assert.Equal(first, redelivered);
        Assert.Single(await File.ReadAllLinesAsync(counter));
        Assert.True(restarted.Log.Contains("already processed"));
    }

    [Fact]
    public async Task a_revoked_agent_is_disconnected_and_cannot_come_back()
    {
        var revoked = new System.Collections.Concurrent.ConcurrentDictionary<string, bool>(StringComparer.OrdinalIgnoreCase);
        await using var bridge = new TestBridge(Pki, authorize: (cert, _) => revoked.ContainsKey(cert.SerialNumber) ? "certificate revoked" : null);
        await using var agent = await ConnectedAgentAsync(bridge, "vm-a", "a");
        var serial = bridge.Registry.Snapshot().Single().CertificateSerial;
        var down = new TaskCompletionSource<string>();
        bridge.Registry.AgentDisconnected += (_, reason) => down.TrySetResult(reason);

        revoked[serial] = true;
        Assert.Equal(1, bridge.Registry.Disconnect(serial));

        Assert.Equal("certificate revoked", await down.Task.WaitAsync(TimeSpan.FromSeconds(1)));
        await Eventually.TrueAsync(() => bridge.Log.Contains("refused: certificate revoked"), "the revoked agent's reconnection to be refused");
        Assert.False(bridge.Registry.IsConnected("vm-a"));
    }

    [Fact]
    public async Task a_silent_agent_is_reported_as_missing_heartbeats()
    {
        await using var bridge = new TestBridge(Pki, new AgentListenerOptions { Port = 0, HeartbeatTimeout = TimeSpan.FromSeconds(1) });
        var missed = new TaskCompletionSource<AgentPresence>();
        bridge.Registry.HeartbeatMissed += p => missed.TrySetResult(p);
        await using var agent = await ConnectedAgentAsync(bridge, "vm-quiet", "quiet");

        Assert.Equal("vm-quiet", (await missed.Task.WaitAsync(TimeSpan.FromSeconds(5))).VmId);
    }
}
