using System.Diagnostics;
using Agents.Contracts;
using Agents.Messaging;
using Agents.ReliabilityTests.Support;
using Agents.Testing;
using RabbitMQ.Client;
using Xunit.Abstractions;

namespace Agents.ReliabilityTests;

/// <summary>
/// Fault: one node of a 3-node cluster stops under load. The quorum queue (three members, the
/// policies of broker-config) elects a new leader on the survivors; publishers and the consumer
/// on the survivors carry on while it is down; the publisher whose node went away sends again
/// what was not confirmed once its node is back; nothing is lost.
/// </summary>
public sealed class ClusterTests(ITestOutputHelper output)
{
    /// <summary>At most ~400 publishes a second per survivor connection, ~100 on the victim's: the load is still running when the node stops.</summary>
    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(10);

    [Fact]
    [Trait("Category", "Slow")]
    public async Task a_cluster_node_stopped_under_load_loses_nothing_and_the_survivors_keep_working()
    {
        var clock = Stopwatch.StartNew();
        void Say(string what) => output.WriteLine($"{clock.Elapsed.TotalSeconds,6:0.0} s: {what}");
        await using var cluster = new RabbitCluster(3);
        await cluster.StartAsync();
        Say($"cluster of {cluster.Nodes.Count} up: {string.Join(", ", cluster.Nodes.Select(n => n.NodeName))}");

        var log = new LogSink();
        var load = new CommandLoad(Guid.NewGuid().ToString("N")[..12], log);
        await using (var admin = await Connect(cluster.Seed))
        await using (var channel = await admin.CreateChannelAsync())
            await load.DeclareAsync(channel);
        var before = await cluster.QuorumStateAsync(load.Queue);
        var state = await BrokerProbe.QueueAsync(cluster.CtlAsync, load.Queue);
        Say($"queue {load.Queue}: {state.Type}, policy {state.Policy}, leader {before.Leader}, online [{string.Join(", ", before.Online)}]");
        Assert.Equal(("quorum", "agents-router-commands"), (state.Type, state.Policy));
        Assert.Equal(3, before.Online.Length);

        var victim = cluster.Node(before.Leader);
        var survivors = cluster.Nodes.Where(n => n != victim).ToList();
        await using var onVictim = CommandLoad.Connection(victim.AmqpUri(), "publisher-on-victim", log);
        await using var onFirst = CommandLoad.Connection(survivors[0].AmqpUri(), "publisher-1", log);
        await using var onSecond = CommandLoad.Connection(survivors[1].AmqpUri(), "publisher-2", log);
        await using var consumerConnection = CommandLoad.Connection(survivors[1].AmqpUri(), "consumer", log);

        const int perPublisher = 1_000;
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        var consuming = load.Consumer(consumerConnection).RunAsync(stop.Token);
        var victimPublishing = load.PublishAsync(onVictim, perPublisher, 2, stop.Token, 2 * Pace);
        var survivorPublishing = Task.WhenAll(load.PublishAsync(onFirst, perPublisher, 4, stop.Token, Pace), load.PublishAsync(onSecond, perPublisher, 4, stop.Token, Pace));

        await Eventually.TrueAsync(() => load.Accepted.Count >= perPublisher / 2, "a sixth of the commands accepted", 180);
        Say($"stopping leader {victim.NodeName} after {load.Accepted.Count} accepted, {load.Deliveries.Count} consumed");
        await victim.StopAsync();

        // work continues on the two survivors while the leader's node is down
        await survivorPublishing.WaitAsync(TimeSpan.FromMinutes(4));
        var acceptedWhileDown = load.Accepted.Count;
        await Eventually.TrueAsync(() => load.Deliveries.Count >= acceptedWhileDown, "everything accepted so far consumed with one node down", 180);
        var during = await cluster.QuorumStateAsync(load.Queue);
        Say($"with {victim.NodeName} down: {acceptedWhileDown} accepted, {load.Deliveries.Count} consumed, new leader {during.Leader}, online [{string.Join(", ", during.Online)}]");
        Assert.False(victim.IsRunning);
        Assert.NotEqual(victim.NodeName, during.Leader);
        Assert.Equal(2, during.Online.Length);

        await victim.StartAsync();
        Say($"{victim.NodeName} back");
        await victimPublishing.WaitAsync(TimeSpan.FromMinutes(4));
        await Eventually.TrueAsync(() => load.Deliveries.Count >= load.Accepted.Count, "every accepted command consumed", 180);
        await Eventually.TrueAsync(async () => (await BrokerProbe.QueueAsync(cluster.CtlAsync, load.Queue)) is { Ready: 0, Unacked: 0 }, "the queue empty and settled on the broker", 60);
        await Eventually.TrueAsync(async () => (await cluster.QuorumStateAsync(load.Queue)).Online.Length == 3, "the returning node back among the queue's online members", 60);
        await stop.CancelAsync();
        await consuming;

        var dead = await BrokerProbe.QueueAsync(cluster.CtlAsync, Topology.DeadLetterQueue);
        await using var check = await Connect(survivors[0]);
        await using var checkChannel = await check.CreateChannelAsync();
        var witness = await load.DrainWitnessAsync(checkChannel);
        Say($"3 publishers x {perPublisher}: {load.Accepted.Count} accepted, {load.Refusals.Count} refused; {load.DeliveryCount} deliveries, "
            + $"{load.Deliveries.Count} distinct, {load.Duplicates} duplicates removed, {load.Effects} effects; witness queue {witness.Messages} messages "
            + $"({witness.Ids.Count} distinct); {dead.Ready} dead-lettered; {log.Count("sending again")} publishes sent again");

        Assert.True(load.Refusals.IsEmpty, string.Join('\n', load.Refusals.Take(10)) + "\n" + log.Tail());
        Assert.Equal(3 * perPublisher, load.Accepted.Count);
        Assert.Equal(load.Accepted.Count, load.Effects);
        Assert.True(load.Deliveries.Keys.ToHashSet().SetEquals(load.Accepted.Keys));
        Assert.True(witness.Ids.SetEquals(load.Accepted.Keys));
        Assert.Equal(0, dead.Ready);
        Assert.True(log.Count("Connection publisher-on-victim lost") >= 1, "the victim's publisher was not interrupted:\n" + log.Tail());
    }

    private static Task<IConnection> Connect(RestartableNode node) =>
        new ConnectionFactory { Uri = new Uri(node.AmqpUri()), ClientProvidedName = "reliability-check" }.CreateConnectionAsync();
}
