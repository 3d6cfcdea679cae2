using Agents.Contracts.Protocol;
using Agents.RouterBridge.Tests.Support;
using Agents.Security.Identity;
using Agents.Testing;
using static Agents.Testing.ListenerProbe;

namespace Agents.RouterBridge.Tests;

/// <summary>Bridge:AuthStrictness as the real bridge process reads it from its configuration (the full matrix is in ListenerStrictnessTests).</summary>
[Collection(BrokerCollection.Name)]
public sealed class BridgeProcessStrictnessTests(BrokerFixture broker) : TempPkiTest
{


    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task the_bridge_process_gives_a_good_certificate_a_session_and_a_connection_without_one_at_most_the_enroll_answer(bool strict)
    {
        await using var bridge = new BridgeProcess(Pki, broker.AmqpUri(), Temp.Path, new Dictionary<string, string>
        {
            ["Bridge__AuthStrictness"] = strict ? "true" : "false",
        });
        await bridge.StartAsync();
        using var good = Pki.IssueWithKey(HolderIdentity.Vm("vm-process"));
        var hello = new HelloFrame(HelloFrame.CurrentProtocolVersion, "test-agent", []);

        Assert.Equal(Session, (await TryAsync(bridge.Port, good, hello)).Outcome);
        var (outcome, detail) = await TryAsync(bridge.Port, null, hello);

        Assert.Equal(Refused, outcome);
        // either way the connection is taken for enrollment only (strictness decides whether the attempt is a reported refusal)
        Assert.Contains("only enroll", detail, StringComparison.Ordinal);
    }
}
