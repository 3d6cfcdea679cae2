using System.Security.Cryptography.X509Certificates;
using Agents.Contracts.Events;
using Agents.Contracts.Protocol;
using Agents.Demo.Stack;
using Agents.Demo.Steps;
using Agents.Producers.Client;
using Agents.Security.Identity;
using Agents.Testing;
using Agents.VmAgent.Core.Identity;
using static Agents.Testing.ListenerProbe;

namespace Agents.IntegrationTests.EndToEnd;

/// <summary>
/// ca.plugin.root.auth.strictness on (the default, as the demo and ./run up run it), on the whole
/// stack as separate processes: the one exception to mutual TLS is an enrollment with a valid
/// one-time token; a new agent enrolls that way and then serves commands; a connection with
/// neither certificate nor valid token is refused, audited, and leaves nothing behind; a token
/// enrolls once and expires.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class StrictnessTests(StackFixture fixture)
{
    private DemoStack Stack => fixture.Stack;
    private int BridgePort => Stack.Layout.BridgePort;

    [Fact]
    public async Task the_stack_runs_strict_and_a_new_agent_enrolls_with_its_token_and_then_serves_commands()
    {
        var strictness = ResponseValues.Items(await Stack.Api.CallAsync("listConfigurations", ("name", "ca.plugin.root.auth.strictness")), "configuration")
            .Single(c => ResponseValues.Text(c["name"]) == "ca.plugin.root.auth.strictness");
        Assert.Equal("true", ResponseValues.Text(strictness["value"]));
        var missing = new MissingAgent(Stack);
        var vm = await missing.RegisterVmAsync();
        try
        {
            await Stack.StartAgentAsync(vm, await Stack.EnrollmentTokenAsync(("virtualmachineid", vm.Id)));
            await Stack.WaitForAgentsAsync([vm.Id], TimeSpan.FromSeconds(60));

            var (done, _) = await missing.WatchAsync(await missing.StartAsync(MissingAgent.Password, vm));

            Assert.True(done.Status == AsyncJobStatus.Succeeded, done.ToString());
            UseCases.VerifyPassword(Stack.Layout, vm, ResponseValues.Text(done.Result?["virtualmachine"]?["password"]));
        }
        finally
        {
            await Stack.StopAgentAsync(vm.Id);
        }
    }

    [Fact]
    public async Task a_connection_without_a_certificate_or_a_valid_token_is_refused_audited_and_leaves_nothing_behind()
    {
        var agentsBefore = await AgentCountAsync();
        var refusalsBefore = await RouterRefusalsAsync();
        var (key, csr) = AgentIdentityStore.NewKeyAndCsr();
        using var csrKey = key;

        var hello = await TryAsync(BridgePort, null, new HelloFrame(HelloFrame.CurrentProtocolVersion, "no-certificate", ["ResetVmPassword"]));
        var forged = await TryAsync(BridgePort, null, new EnrollFrame("a-token-the-ca-never-made", csr));

        Assert.Equal(Refused, hello.Outcome);
        Assert.Contains("only enroll", hello.Detail, StringComparison.Ordinal);
        Assert.Equal(Refused, forged.Outcome);
        Assert.Contains("unknown enrollment token", forged.Detail, StringComparison.Ordinal);
        // audited on the router (AGENT.CONNECTION.REFUSE; refusals from one address are folded, the later ones within
        // Bridge:RefusalEventIntervalSeconds, 60), nothing connected, and the token never logged
        await Eventually.TrueAsync(async () => await RouterRefusalsAsync() > refusalsBefore, "the refusals in listEvents", 120);
        Assert.Equal(agentsBefore, await AgentCountAsync());
        foreach (var log in Directory.GetFiles(Stack.Layout.LogDirectory))
            Assert.DoesNotContain("a-token-the-ca-never-made", await ReadSharedAsync(log), StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_token_enrolls_once_and_a_second_use_is_refused()
    {
        var vm = await new MissingAgent(Stack).RegisterVmAsync();
        var token = await Stack.EnrollmentTokenAsync(("virtualmachineid", vm.Id));

        var first = await EnrollAsync(token);
        var second = await EnrollAsync(token);

        Assert.Equal(Enrolled, first.Outcome);
        using (var issued = X509Certificate2.CreateFromPem(first.Detail))
            Assert.Equal(HolderIdentity.Vm(vm.Id), HolderIdentity.FromCertificate(issued));
        Assert.Equal(Refused, second.Outcome);
        Assert.Contains("already used", second.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task an_expired_token_is_refused()
    {
        var vm = await new MissingAgent(Stack).RegisterVmAsync();
        // the shortest lifetime the API grants is 60 s: asked for after this moment, it has expired 60 s after it
        var expired = DateTimeOffset.UtcNow.AddSeconds(61);
        var created = await Stack.Api.CallAsync("createAgentEnrollmentToken", ("virtualmachineid", vm.Id), ("ttl", "60"));
        var token = ResponseValues.Text(created["enrollmenttoken"]?["token"]);
        await Eventually.TrueAsync(() => DateTimeOffset.UtcNow > expired, "the token's 60 s to pass", 120);

        var (outcome, detail) = await EnrollAsync(token);

        Assert.Equal(Refused, outcome);
        Assert.Contains("expired", detail, StringComparison.Ordinal);
    }

    private async Task<(string Outcome, string Detail)> EnrollAsync(string token)
    {
        var (key, csr) = AgentIdentityStore.NewKeyAndCsr();
        using var csrKey = key;
        return await TryAsync(BridgePort, null, new EnrollFrame(token, csr));
    }

    private async Task<int> AgentCountAsync() =>
        ResponseValues.Count(await Stack.Api.CallAsync("listAgents", ("routerid", StackLayout.RouterId)));

    private async Task<int> RouterRefusalsAsync() =>
        ResponseValues.Count(await Stack.Api.CallAsync("listEvents", ("type", "AGENT.CONNECTION.REFUSE"), ("resourceid", StackLayout.RouterId)));

    private static async Task<string> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }
}
