using System.Text;
using Agents.Contracts;
using Agents.Contracts.Commands;
using Agents.ReliabilityTests.Support;
using Agents.Testing;
using RabbitMQ.Client;
using Xunit.Abstractions;
using Agents.Messaging.Internal;

namespace Agents.ReliabilityTests;

/// <summary>
/// Bad input on the queues the bridge consumes: garbage and schema-violating JSON are
/// dead-lettered to agents.dead with a log line naming the message and the reason, and the
/// consumer carries on (a good command after the garbage still runs).
/// </summary>
[Collection(BridgeCollection.Name)]
public sealed class PoisonMessageTests(BrokerFixture broker, ITestOutputHelper output)
{
    private const string Vm = "vm-poison";

    /// <summary>Bodies that are not a command for this router: the shared garbage, then a command with one thing wrong.</summary>
    private static IEnumerable<PoisonCase> RouterQueueCases(string routerId)
    {
        var valid = new Dictionary<string, object?>
        {
            ["schemaVersion"] = 1, ["messageId"] = Guid.NewGuid(), ["commandId"] = Guid.NewGuid(), ["jobId"] = Guid.NewGuid(),
            ["type"] = CommandTypes.ResetVmSshKey, ["routerId"] = routerId, ["vmId"] = Vm, ["createdAt"] = DateTimeOffset.UtcNow,
            ["payload"] = new Dictionary<string, object?> { ["username"] = "alice", ["publicKeys"] = new[] { "ssh-ed25519 AAAA x" } },
        };
        foreach (var garbage in PoisonCases.Garbage(PoisonCases.Serialize(valid))) yield return garbage;
        yield return new("empty object", PoisonCases.Utf8("{}"));
        yield return PoisonCases.Violation("commandId not a GUID", valid, c => c["commandId"] = "not-a-guid");
        yield return PoisonCases.Violation("payload is a string", valid, c => c["payload"] = "rm -rf /");
        yield return PoisonCases.Violation("payload missing", valid, c => c.Remove("payload"));
        yield return PoisonCases.Violation("type missing", valid, c => c.Remove("type"));
        yield return PoisonCases.Violation("for another router", valid, c => c["routerId"] = Guid.NewGuid().ToString());
        yield return PoisonCases.Violation("VM id with a path", valid, c => c["vmId"] = "../../etc/passwd");
        yield return PoisonCases.Violation("VM id with shell metacharacters", valid, c => c["vmId"] = "vm;$(reboot)");
    }

    [Fact]
    public async Task garbage_and_schema_violating_commands_are_dead_lettered_with_a_reason_and_the_bridge_carries_on()
    {
        await using var rig = new BridgeRig(broker);
        await rig.Bridge.StartAsync();
        await using var agent = rig.Agent(Vm);
        await using var tap = await EventTap.StartAsync(broker.AmqpUri());
        await using var connection = await broker.ConnectAsync(name: "poison-publisher");
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true));

        var cases = RouterQueueCases(rig.RouterId).ToList();
        foreach (var (name, body, id) in cases.Select(c => (c.Name, c.Body, c.Id)))
        {
            var properties = new BasicProperties { MessageId = id, Persistent = true, ContentType = "application/json", Type = CommandTypes.ResetVmSshKey };
            await channel.BasicPublishAsync(Topology.CommandsExchange, Topology.CommandRoutingKey(rig.RouterId, Vm), true, properties, body);
        }
        var good = rig.Command(Vm, CommandTypes.ResetVmSshKey, BridgeRig.SshKey());
        await new BusPublisher(rig.Publisher).SendAsync(good);

        // the good command after the garbage is still relayed and answered
        await Eventually.TrueAsync(() => tap.For(good.CommandId).Count > 0, "the outcome of the good command after the garbage", 90);
        Assert.Equal(CommandOutcome.Success, Assert.Single(tap.For(good.CommandId)).Outcome);
        Assert.True(File.Exists(agent.Sandbox.AuthorizedKeysPath("alice")));

        var ids = cases.Select(c => c.Id).ToHashSet();
        var dead = new List<DeadLetter>();
        await using var deadChannel = await connection.CreateChannelAsync();
        await Eventually.WithinAsync(async () => { dead.AddRange(await DeadLetters.TakeAsync(deadChannel, ids)); return dead.Count >= cases.Count; }, 120);

        var report = cases.Select(c =>
        {
            var letter = dead.SingleOrDefault(d => d.MessageId == c.Id);
            var line = rig.Bridge.Lines.FirstOrDefault(l => l.Contains(c.Id, StringComparison.Ordinal) && (l.Contains("Dead-lettering", StringComparison.Ordinal) || l.Contains("Handler failed", StringComparison.Ordinal)));
            return (c.Name, Reason: letter?.Reason ?? "NOT DEAD-LETTERED", Log: line ?? "NO LOG LINE");
        }).ToList();
        foreach (var r in report) output.WriteLine($"{r.Name}: {r.Reason} | {r.Log}");
        output.WriteLine($"{cases.Count} bad commands tried; {dead.Count} dead-lettered; {report.Count(r => r.Reason == "rejected")} at once, "
            + $"{report.Count(r => r.Reason == "delivery_limit")} after the delivery limit; good command: {tap.For(good.CommandId).Single().Outcome}");

        Assert.True(dead.Count == cases.Count, rig.Bridge.Tail(30));
        Assert.All(report, r => Assert.Equal("rejected", r.Reason));
        Assert.All(report, r => Assert.Contains("Dead-lettering", r.Log, StringComparison.Ordinal));
        Assert.False(rig.Bridge.HasExited);
        Assert.DoesNotContain(tap.Outcomes, o => o.CommandId != good.CommandId && o.RouterId == rig.RouterId);
        var queue = await BrokerProbe.QueueAsync(broker.Node.CtlAsync, Topology.RouterQueue(rig.RouterId));
        Assert.Equal((0, 0), (queue.Ready, queue.Unacked));
    }

    [Fact]
    public async Task garbage_revocation_events_are_dead_lettered_and_a_real_revocation_still_closes_the_session()
    {
        await using var rig = new BridgeRig(broker);
        await rig.Bridge.StartAsync();
        await using var agent = rig.Agent(Vm);
        await Eventually.TrueAsync(() => rig.Bridge.Count($"agent of VM {Vm} up") > 0, "the agent to connect", 60);
        await using var connection = await broker.ConnectAsync(name: "poison-publisher");
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true));
        const string key = "management-server.ActionEvent.CA-CERTIFICATE-REVOKE.Certificate.x";

        var cases = new (string Name, byte[] Body)[]
        {
            ("not JSON", Encoding.UTF8.GetBytes("revoke everything!")),
            ("JSON array", Encoding.UTF8.GetBytes("[]")),
            ("empty object", Encoding.UTF8.GetBytes("{}")),
            ("serial missing", Encoding.UTF8.GetBytes("""{"event":"CA.CERTIFICATE.REVOKE","holder":"urn:cloudstack:vm:vm-poison"}""")),
            ("invalid UTF-8", [0xc3, 0x28, 0xff]),
        }.Select(c => (c.Name, c.Body, Id: Guid.NewGuid().ToString())).ToList();
        foreach (var (_, body, id) in cases)
            await channel.BasicPublishAsync(Topology.EventsExchange, key, false, new BasicProperties { MessageId = id, Persistent = true }, body);

        var ids = cases.Select(c => c.Id).ToHashSet();
        var dead = new List<DeadLetter>();
        await using var deadChannel = await connection.CreateChannelAsync();
        await Eventually.WithinAsync(async () => { dead.AddRange(await DeadLetters.TakeAsync(deadChannel, ids)); return dead.Count >= cases.Count; }, 60);
        foreach (var c in cases)
            output.WriteLine($"{c.Name}: {dead.SingleOrDefault(d => d.MessageId == c.Id)?.Reason ?? "NOT DEAD-LETTERED"} | {rig.Bridge.Lines.FirstOrDefault(l => l.Contains(c.Id, StringComparison.Ordinal)) ?? "NO LOG LINE"}");
        output.WriteLine($"{rig.Bridge.Count("Handler failed")} handler failures logged");
        Assert.True(dead.Count == cases.Count, rig.Bridge.Tail(30));

        // the consumer carries on: a real revocation of the agent's certificate closes its session
        using var certificate = agent.Client.CurrentCertificate!;
        var revoked = new Agents.Contracts.Events.CertificateChanged
        {
            MessageId = Guid.NewGuid(), EventType = Agents.Contracts.Events.EventTypes.CertificateRevoked, SerialNumber = certificate.SerialNumber,
            Subject = certificate.Subject, Holder = $"urn:cloudstack:vm:{Vm}", NotAfter = certificate.NotAfter, At = DateTimeOffset.UtcNow,
        };
        await rig.Publisher.PublishAsync(new Agents.Messaging.Internal.OutgoingMessage
        {
            Exchange = Topology.EventsExchange, RoutingKey = revoked.ToEvent().RoutingKey, Body = revoked.ToEvent().ToUtf8(),
            MessageId = revoked.MessageId.ToString(), Mandatory = false,
        });
        await Eventually.TrueAsync(() => rig.Bridge.Count($"Certificate {certificate.SerialNumber}") > 0, "the real revocation to be applied", 60);
        output.WriteLine($"{cases.Count} bad revocation events tried; {dead.Count} dead-lettered; then: {rig.Bridge.Lines.First(l => l.Contains($"Certificate {certificate.SerialNumber}", StringComparison.Ordinal))}");

        Assert.All(cases, c => Assert.Equal("rejected", dead.Single(d => d.MessageId == c.Id).Reason));
        Assert.All(cases, c => Assert.Contains(rig.Bridge.Lines, l => l.Contains("Dead-lettering " + c.Id, StringComparison.Ordinal)));
        Assert.False(rig.Bridge.HasExited);
    }
}
