using Agents.Contracts.Events;
using Agents.Contracts.Protocol;
using Agents.RouterBridge.Tests.Support;
using Agents.Security.Identity;
using Agents.Testing;
using Xunit.Abstractions;
using static Agents.Testing.ListenerProbe;

namespace Agents.RouterBridge.Tests;

/// <summary>
/// The real bridge process publishes the connections it refuses for their certificate as
/// AGENT.CONNECTION.REFUSE ActionEvents on cloudstack-events (what the audit log and listEvents
/// show), folding a claimant's repeats into one event per Bridge:RefusalEventIntervalSeconds.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class ConnectionRefusalEventTests(BrokerFixture broker, ITestOutputHelper output) : TempPkiTest
{
    private const string VmId = "vm-claimed";
    private readonly TestPki _impostorCa = new("Impostor Root CA");

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _impostorCa.Dispose();
        }
        base.Dispose(disposing);
    }

    [Fact]
    public async Task an_impostor_claiming_a_vm_is_refused_and_audited_on_the_event_bus_with_its_repeats_folded()
    {
        await using var tap = await EventTap.StartAsync(broker.AmqpUri(), "*.ActionEvent.AGENT-CONNECTION-REFUSE.#");
        await using var bridge = new BridgeProcess(Pki, broker.AmqpUri(), Temp.Path, new Dictionary<string, string>
        {
            ["Bridge__RefusalEventIntervalSeconds"] = "5",
        });
        await bridge.StartAsync();
        using var impostor = _impostorCa.IssueWithKey(HolderIdentity.Vm(VmId));
        var hello = new HelloFrame(HelloFrame.CurrentProtocolVersion, "impostor", []);

        for (var attempt = 1; attempt <= 5; attempt++)
            Assert.Equal(Refused, (await TryAsync(bridge.Port, impostor, hello)).Outcome);
        Assert.Equal(Refused, (await TryAsync(bridge.Port, null, hello)).Outcome);

        // the first attempt at once, the others folded (into one event unless the attempts took longer than an interval)
        var claims = await tap.WaitAsync(t => Claims(t) is { } seen && seen.Sum(Repeated) == 5 ? seen : null,
            "5 refusals of the impostor counted in the events", 40);
        Assert.Equal(1, Repeated(claims[0]));
        Assert.InRange(claims.Count, 2, 4);
        foreach (var claim in claims)
        {
            Assert.Equal(ResourceTypes.VirtualMachine, claim.ResourceType);
            Assert.Equal(VmId, claim.ResourceUuid);
            Assert.Equal(bridge.RouterId, claim["routerId"]);
            Assert.Equal(HolderIdentity.Vm(VmId).Uri, claim["claimedHolder"]);
            Assert.Equal(impostor.SerialNumber, claim["certificateSerial"]);
            Assert.Contains("Impostor Root CA", claim["certificateIssuer"], StringComparison.Ordinal);
            Assert.StartsWith("127.0.0.1:", claim["remoteAddress"], StringComparison.Ordinal);
            Assert.Equal("WARN", claim["level"]);
        }

        // no certificate at all (strictness on): the router itself is the resource, the caller's address says who
        var anonymous = await tap.WaitAsync(t => t.Events.FirstOrDefault(e => e.ResourceType == ResourceTypes.DomainRouter), "the refusal of a connection without a certificate", 30);
        Assert.Equal(bridge.RouterId, anonymous.ResourceUuid);
        Assert.Contains("no certificate presented", anonymous["reason"], StringComparison.Ordinal);
        Assert.Null(anonymous["claimedHolder"]);
        Assert.Equal(6, bridge.Count("refused:"));
        output.WriteLine($"impostor: 5 connections refused, {claims.Count} events (repeated {string.Join(" + ", claims.Select(Repeated))}); " +
            $"no certificate: 1 event on the router; {bridge.Count("refused:")} refusal log lines; reason: {claims[0]["reason"]}");
    }

    private static List<CloudStackEvent>? Claims(EventTap tap) =>
        [.. tap.Events.Where(e => e.ResourceType == ResourceTypes.VirtualMachine)];

    private static int Repeated(CloudStackEvent e) => int.Parse(e["repeated"]!, System.Globalization.CultureInfo.InvariantCulture);
}
