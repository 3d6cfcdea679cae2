using System.Text.Json;
using Agents.Contracts;
using Agents.Contracts.Commands;
using Agents.Contracts.Protocol;
using Agents.Security.Sealing;
using Agents.Testing;
using Agents.VmAgent.Core.Client;
using Agents.VmAgent.Core.Crypto;
using Agents.VmAgent.Core.Identity;
using Agents.VmAgent.Core.Os;
using Agents.VmAgent.Tests.Support;
using PasswordOnlyAgent;

namespace Agents.VmAgent.Tests;

public sealed class PasswordOnlyAgentTests : TempPkiTest
{


    [Fact]
    public async Task the_password_only_sample_resets_passwords_and_rejects_everything_else()
    {
        await using var bridge = new TestBridge(Pki);
        var sandbox = new SandboxGuestOs(Temp.Sub("sandbox"));
        var options = new AgentClientOptions
        {
            RouterAddresses = ["127.0.0.1"], Port = bridge.Port, DataDirectory = Temp.Sub("data"),
            EnrollmentToken = bridge.Relay.TokenFor("vm-p"), InitialBackoff = TimeSpan.FromMilliseconds(50), MaxBackoff = TimeSpan.FromMilliseconds(400),
        };
        var agent = PasswordOnly.Create(options, new TrustAnchor(Pki.Root), sandbox, new TestLog("password-only"));
        using var stop = new CancellationTokenSource();
        var run = agent.RunAsync(stop.Token);
        await Eventually.TrueAsync(() => bridge.Registry.IsConnected("vm-p"), "the sample agent to connect");
        Assert.Equal(["ResetVmPassword"], bridge.Registry.Snapshot().Single().Capabilities);

        using var cert = agent.CurrentCertificate!;
        var password = AgentJson.Serialize(new ResetVmPassword { Username = "admin", SealedPassword = SecretSealer.Seal("only-this", cert) });
        var reset = await bridge.Registry.SendCommandAsync("vm-p", ExecutorFixture.Command("ResetVmPassword", password), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(20), default);
        var recipe = await bridge.Registry.SendCommandAsync("vm-p", ExecutorFixture.Command("RunRecipe", """{"name":"package-upgrade"}"""), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(20), default);
        var keys = await bridge.Registry.SendCommandAsync("vm-p", ExecutorFixture.Command("ResetVmSshKey", """{"username":"admin","publicKeys":["ssh-ed25519 AAAA x"]}"""), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(20), default);

        Assert.Equal(CommandOutcome.Success, reset.Outcome);
        Assert.True(Sha512Crypt.Verify("only-this", sandbox.ShadowHash("admin")!));
        Assert.Equal(CommandOutcome.Rejected, recipe.Outcome);
        Assert.Equal(CommandOutcome.Rejected, keys.Outcome);

        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
