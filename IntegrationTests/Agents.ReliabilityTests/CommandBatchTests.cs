using Agents.Contracts;
using Agents.Contracts.Commands;
using Agents.Messaging.Internal;
using Agents.ReliabilityTests.Support;
using Agents.Testing;
using RabbitMQ.Client;
using Xunit.Abstractions;

namespace Agents.ReliabilityTests;

/// <summary>
/// A fan-out batch (<see cref="AgentCommandBatch"/>: one message naming several VMs behind one
/// router) through the real bridge process to real agents over mutual TLS: each target gets
/// exactly one outcome of its own, as if sent alone; an unusable batch is dead-lettered whole and
/// runs nothing.
/// </summary>
[Collection(BridgeCollection.Name)]
public sealed class CommandBatchTests(BrokerFixture broker, ITestOutputHelper output)
{
    [Fact]
    public async Task a_batch_for_four_vms_one_without_an_agent_gives_every_target_exactly_one_outcome()
    {
        await using var rig = new BridgeRig(broker);
        await rig.Bridge.StartAsync();
        await using var tap = await EventTap.StartAsync(broker.AmqpUri());
        var present = new[] { "vm-batch-0", "vm-batch-1", "vm-batch-2" };
        var agents = new List<TestAgent>();
        try
        {
            foreach (var vm in present)
            {
                agents.Add(rig.Agent(vm));
                await Eventually.TrueAsync(() => rig.Bridge.Count($"agent of VM {vm} up") > 0, $"the agent of {vm} to connect", 60);
            }
            var jobId = Guid.NewGuid();
            var commands = present.Append("vm-batch-absent").Select((vm, i) =>
                rig.Command(vm, CommandTypes.ResetVmSshKey, BridgeRig.SshKey($"user{i}"), deliveryTimeoutSeconds: 3) with { JobId = jobId }).ToList();
            var batch = AgentCommandBatch.Of(commands);
            await new BusPublisher(rig.Publisher).SendAsync(batch);

            await Eventually.TrueAsync(() => commands.All(c => tap.For(c.CommandId).Count > 0), "an outcome for every target of the batch", 90);
            await Task.Delay(TimeSpan.FromSeconds(3)); // a second outcome, if any, would come now
            foreach (var c in commands)
                output.WriteLine($"{c.VmId}: {string.Join(", ", tap.For(c.CommandId).Select(o => $"{o.Outcome} {o.Message}"))}");

            Assert.All(commands, c => Assert.Single(tap.For(c.CommandId)));
            Assert.All(commands.Take(3), c => Assert.Equal(CommandOutcome.Success, tap.For(c.CommandId)[0].Outcome));
            Assert.Equal(CommandOutcome.DeliveryTimedOut, tap.For(commands[3].CommandId)[0].Outcome);
            Assert.All(commands, c => Assert.Equal((jobId, c.VmId), (tap.For(c.CommandId)[0].JobId, tap.For(c.CommandId)[0].VmId)));
            for (var i = 0; i < present.Length; i++) Assert.True(File.Exists(agents[i].Sandbox.AuthorizedKeysPath($"user{i}")));
            var queue = await BrokerProbe.QueueAsync(broker.Node.CtlAsync, Topology.RouterQueue(rig.RouterId));
            Assert.Equal((0, 0), (queue.Ready, queue.Unacked));
        }
        finally
        {
            foreach (var agent in agents) await agent.DisposeAsync();
        }
    }

    [Fact]
    public async Task a_batch_over_the_brokers_max_message_size_is_refused_at_publish_and_never_reaches_the_bridge()
    {
        await using var rig = new BridgeRig(broker);
        await rig.Bridge.StartAsync();
        var jobId = Guid.NewGuid();
        var big = AgentCommandBatch.Of([.. Enumerable.Range(0, 5_000).Select(i =>
            rig.Command($"vm-huge-{i}", CommandTypes.ResetVmSshKey, BridgeRig.SshKey($"huge-{i}")) with { JobId = jobId })]);
        var body = AgentJson.ToUtf8(big);
        await using var connection = await broker.ConnectAsync(name: "batch-huge-publisher");
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true));

        var refused = await Assert.ThrowsAnyAsync<Exception>(async () => await channel.BasicPublishAsync(Topology.CommandsExchange, Topology.CommandBatchRoutingKey(rig.RouterId), true,
            new BasicProperties { MessageId = big.MessageId.ToString(), Persistent = true, Type = AgentCommandBatch.MessageType }, body));
        output.WriteLine($"a batch of {big.Targets.Count} targets, {body.Length} bytes: {refused.Message}");

        Assert.Contains("larger than configured max size", refused.Message, StringComparison.Ordinal);
        Assert.True(body.Length > 1024 * 1024);
        var queue = await BrokerProbe.QueueAsync(broker.Node.CtlAsync, Topology.RouterQueue(rig.RouterId));
        Assert.Equal((0, 0), (queue.Ready, queue.Unacked));
        Assert.Equal(0, rig.Bridge.Count("vm-huge-"));
    }

    [Fact]
    public async Task a_malformed_or_oversized_batch_is_dead_lettered_whole_with_a_reason_and_runs_nothing()
    {
        const string vm = "vm-batch-bad";
        await using var rig = new BridgeRig(broker);
        await rig.Bridge.StartAsync();
        await using var agent = rig.Agent(vm);
        await Eventually.TrueAsync(() => rig.Bridge.Count($"agent of VM {vm} up") > 0, "the agent to connect", 60);
        await using var tap = await EventTap.StartAsync(broker.AmqpUri());

        var jobId = Guid.NewGuid();
        AgentCommandTarget Target(string user, string vmId = vm) =>
            new() { CommandId = Guid.NewGuid(), VmId = vmId, Payload = AgentCommand.PayloadOf(BridgeRig.SshKey(user)) };
        AgentCommandBatch Batch(params AgentCommandTarget[] targets) => new()
        {
            MessageId = Guid.NewGuid(), JobId = jobId, Type = CommandTypes.ResetVmSshKey, RouterId = rig.RouterId, CreatedAt = DateTimeOffset.UtcNow, Targets = targets,
        };
        var twice = Target("bad-twice");
        // small targets, so that the batch over the bridge's limit still fits the broker's max_message_size
        var empty = AgentCommand.PayloadOf(new Dictionary<string, string>());
        var cases = new (string Name, AgentCommandBatch? Batch, byte[] Body)[]
        {
            ("one target's VM id is a path", Batch(Target("bad-path-0"), Target("bad-path-1", "../../etc/passwd")), []),
            ("one target's payload is a string", Batch(Target("bad-payload-0"), Target("bad-payload-1") with { Payload = AgentCommand.PayloadOf("rm -rf /") }), []),
            ("a command id twice", Batch(twice, twice with { VmId = "vm-batch-other" }), []),
            ("no targets", Batch(), []),
            ("for another router", Batch(Target("bad-router")) with { RouterId = Guid.NewGuid().ToString() }, []),
            ($"{AgentCommandBatch.MaxTargets + 1} targets", Batch([.. Enumerable.Range(0, AgentCommandBatch.MaxTargets + 1).Select(i => Target("bad-big", $"vm-big-{i}") with { Payload = empty })]), []),
            ("not JSON", null, PoisonCases.Utf8("targets: all of them")),
            ("a single command's body", null, AgentJson.ToUtf8(rig.Command(vm, CommandTypes.ResetVmSshKey, BridgeRig.SshKey("bad-single")))),
        }.Select(c => (c.Name, c.Batch, Body: c.Batch is null ? c.Body : AgentJson.ToUtf8(c.Batch), Id: c.Batch?.MessageId.ToString() ?? Guid.NewGuid().ToString())).ToList();

        await using var connection = await broker.ConnectAsync(name: "batch-poison-publisher");
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true));
        foreach (var c in cases)
        {
            var properties = new BasicProperties { MessageId = c.Id, Persistent = true, ContentType = "application/json", Type = AgentCommandBatch.MessageType };
            await channel.BasicPublishAsync(Topology.CommandsExchange, Topology.CommandBatchRoutingKey(rig.RouterId), true, properties, c.Body);
        }
        var good = AgentCommandBatch.Of([rig.Command(vm, CommandTypes.ResetVmSshKey, BridgeRig.SshKey("good")) with { JobId = jobId }]);
        await new BusPublisher(rig.Publisher).SendAsync(good);

        await Eventually.TrueAsync(() => tap.For(good.Targets[0].CommandId).Count > 0, "the outcome of the good batch after the bad ones", 90);
        var ids = cases.Select(c => c.Id).ToHashSet();
        var dead = new List<DeadLetter>();
        await using var deadChannel = await connection.CreateChannelAsync();
        await Eventually.WithinAsync(async () => { dead.AddRange(await DeadLetters.TakeAsync(deadChannel, ids)); return dead.Count >= cases.Count; }, 120);
        foreach (var c in cases)
            output.WriteLine($"{c.Name}: {dead.SingleOrDefault(d => d.MessageId == c.Id)?.Reason ?? "NOT DEAD-LETTERED"} | "
                + $"{rig.Bridge.Lines.FirstOrDefault(l => l.Contains("Dead-lettering " + c.Id, StringComparison.Ordinal)) ?? "NO LOG LINE"}");

        Assert.Equal(CommandOutcome.Success, Assert.Single(tap.For(good.Targets[0].CommandId)).Outcome);
        Assert.All(cases, c => Assert.Equal("rejected", dead.Single(d => d.MessageId == c.Id).Reason));
        Assert.All(cases, c => Assert.Contains(rig.Bridge.Lines, l => l.Contains("Dead-lettering " + c.Id, StringComparison.Ordinal)));
        Assert.DoesNotContain(tap.Outcomes, o => o.RouterId == rig.RouterId && o.CommandId != good.Targets[0].CommandId);
        Assert.All(new[] { "bad-path-0", "bad-payload-0", "bad-twice", "bad-router", "bad-big", "bad-single" },
            user => Assert.False(File.Exists(agent.Sandbox.AuthorizedKeysPath(user)), $"{user}'s key was written"));
        Assert.True(File.Exists(agent.Sandbox.AuthorizedKeysPath("good")));
        Assert.Equal(0, rig.Bridge.Count("delivered to VM vm-big-"));
        Assert.False(rig.Bridge.HasExited);
        var queue = await BrokerProbe.QueueAsync(broker.Node.CtlAsync, Topology.RouterQueue(rig.RouterId));
        Assert.Equal((0, 0), (queue.Ready, queue.Unacked));
    }
}
