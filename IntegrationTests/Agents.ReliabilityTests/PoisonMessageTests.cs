using System.Text;
using Agents.Contracts;
using Agents.Contracts.Commands;
using Agents.Messaging.Publishing;
using Agents.ReliabilityTests.Support;
using Agents.Testing;
using Agents.VmAgent.Tests.Support;
using RabbitMQ.Client;
using Xunit.Abstractions;

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

    /// <summary>Bodies that are not a command: (name, body).</summary>
    private static IEnumerable<(string Name, byte[] Body)> RouterQueueCases(string routerId)
    {
        static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);
        string Valid(Action<Dictionary<string, object?>> change)
        {
            var command = new Dictionary<string, object?>
            {
                ["schemaVersion"] = 1, ["messageId"] = Guid.NewGuid(), ["commandId"] = Guid.NewGuid(), ["jobId"] = Guid.NewGuid(),
                ["type"] = CommandTypes.ResetVmSshKey, ["routerId"] = routerId, ["vmId"] = Vm, ["createdAt"] = DateTimeOffset.UtcNow,
                ["payload"] = new Dictionary<string, object?> { ["username"] = "alice", ["publicKeys"] = new[] { "ssh-ed25519 AAAA x" } },
            };
            change(command);
            return AgentJson.Serialize(command);
        }
        yield return ("not JSON", Utf8("this is not json {{{"));
        yield return ("invalid UTF-8", [0xff, 0xfe, 0xfd, 0x00, 0xc3, 0x28]);
        yield return ("empty body", []);
        yield return ("JSON null", Utf8("null"));
        yield return ("JSON array", Utf8("[1,2,3]"));
        yield return ("JSON number", Utf8("42"));
        yield return ("empty object", Utf8("{}"));
        yield return ("truncated JSON", Utf8(Valid(_ => { }))[..40]);
        yield return ("commandId not a GUID", Utf8(Valid(c => c["commandId"] = "not-a-guid")));
        yield return ("payload is a string", Utf8(Valid(c => c["payload"] = "rm -rf /")));
        yield return ("payload missing", Utf8(Valid(c => c.Remove("payload"))));
        yield return ("type missing", Utf8(Valid(c => c.Remove("type"))));
        yield return ("for another router", Utf8(Valid(c => c["routerId"] = Guid.NewGuid().ToString())));
        yield return ("VM id with a path", Utf8(Valid(c => c["vmId"] = "../../etc/passwd")));
        yield return ("VM id with shell metacharacters", Utf8(Valid(c => c["vmId"] = "vm;$(reboot)")));
        yield return ("JSON objects nested 200 deep", Utf8(string.Concat(Enumerable.Repeat("{\"a\":", 200)) + "1" + new string('}', 200)));
        yield return ("500 KB of garbage", Utf8(new string('x', 500_000)));
        yield return ("binary noise", RandomBytes(4096, seed: 7));
    }

    private static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
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

        var cases = RouterQueueCases(rig.RouterId).Select(c => (c.Name, c.Body, Id: Guid.NewGuid().ToString())).ToList();
        foreach (var (name, body, id) in cases)
        {
            var properties = new BasicProperties { MessageId = id, Persistent = true, ContentType = "application/json", Type = CommandTypes.ResetVmSshKey };
            await channel.BasicPublishAsync(Topology.CommandsExchange, Topology.CommandRoutingKey(rig.RouterId, Vm), true, properties, body);
        }
        var good = rig.Command(Vm, CommandTypes.ResetVmSshKey, BridgeRig.SshKey());
        await rig.Publisher.PublishCommandAsync(good);

        // the good command after the garbage is still relayed and answered
        await BrokerRestartTests.Until(() => tap.For(good.CommandId).Count > 0, "the outcome of the good command after the garbage", 90);
        Assert.Equal(CommandOutcome.Success, Assert.Single(tap.For(good.CommandId)).Outcome);
        Assert.True(File.Exists(agent.Sandbox.AuthorizedKeysPath("alice")));

        var ids = cases.Select(c => c.Id).ToHashSet();
        var dead = new List<DeadLetter>();
        await using var deadChannel = await connection.CreateChannelAsync();
        await BrokerRestartTests.Within(async () => { dead.AddRange(await DeadLetters.TakeAsync(deadChannel, ids)); return dead.Count >= cases.Count; }, 120);

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
        await BrokerRestartTests.Until(() => rig.Bridge.Count($"agent of VM {Vm} up") > 0, "the agent to connect", 60);
        await using var connection = await broker.ConnectAsync(name: "poison-publisher");
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true));
        const string key = "agents-framework.ActionEvent.CA-CERTIFICATE-REVOKE.Certificate.x";

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
        await BrokerRestartTests.Within(async () => { dead.AddRange(await DeadLetters.TakeAsync(deadChannel, ids)); return dead.Count >= cases.Count; }, 60);
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
        await rig.Publisher.PublishAsync(new Agents.Messaging.Publishing.OutgoingMessage
        {
            Exchange = Topology.EventsExchange, RoutingKey = revoked.ToEvent().RoutingKey, Body = AgentJson.ToUtf8(revoked.ToEvent().Description),
            MessageId = revoked.MessageId.ToString(), Mandatory = false,
        });
        await BrokerRestartTests.Until(() => rig.Bridge.Count($"Certificate {certificate.SerialNumber}") > 0, "the real revocation to be applied", 60);
        output.WriteLine($"{cases.Count} bad revocation events tried; {dead.Count} dead-lettered; then: {rig.Bridge.Lines.First(l => l.Contains($"Certificate {certificate.SerialNumber}", StringComparison.Ordinal))}");

        Assert.All(cases, c => Assert.Equal("rejected", dead.Single(d => d.MessageId == c.Id).Reason));
        Assert.All(cases, c => Assert.Contains(rig.Bridge.Lines, l => l.Contains("Dead-lettering " + c.Id, StringComparison.Ordinal)));
        Assert.False(rig.Bridge.HasExited);
    }
}
