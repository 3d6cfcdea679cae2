using System.Diagnostics;
using Agents.Contracts;
using Agents.ReliabilityTests.Support;
using Agents.Testing;
using RabbitMQ.Client;
using Xunit.Abstractions;

namespace Agents.ReliabilityTests;

/// <summary>
/// Fault: the broker goes away while commands are being published and consumed. Publishers hold
/// what was not confirmed and send it again; the consumer resumes by itself; after deduplication
/// by message id every accepted command was acted on exactly once, and the broker agrees.
/// </summary>
public sealed class BrokerRestartTests(ITestOutputHelper output)
{
    public enum Fault { GracefulRestart, SigKill }

    [Fact]
    public Task a_broker_restarted_under_load_loses_no_accepted_command_and_the_consumer_resumes() =>
        RunAsync(commands: 2_000, Fault.GracefulRestart, faults: 1);

    [Fact]
    public Task a_broker_killed_with_sigkill_under_load_loses_no_confirmed_command() =>
        RunAsync(commands: 2_000, Fault.SigKill, faults: 1);

    [Fact]
    [Trait("Category", "Slow")]
    public Task ten_thousand_commands_through_two_restarts_and_a_sigkill_each_reach_the_consumer_once() =>
        RunAsync(commands: 10_000, Fault.SigKill, faults: 3);

    private async Task RunAsync(int commands, Fault fault, int faults)
    {
        var clock = Stopwatch.StartNew();
        await using var node = new RestartableNode();
        await node.StartAsync();
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: node up");
        var log = new LogSink();
        var load = new CommandLoad(Guid.NewGuid().ToString("N")[..12], log);
        await using (var admin = await Connect(node))
        await using (var channel = await admin.CreateChannelAsync())
            await load.DeclareAsync(channel);
        // the fault must hit queues that exist, not ones born a moment ago: RabbitMQ 3.10.8 restarts a quorum queue
        // killed before its registration was saved as an empty member without a leader (QuorumLeaderAfterKillTests)
        await node.SettleAsync();

        await using var consumerConnection = CommandLoad.Connection(node.AmqpUri(), "reliability-consumer", log);
        await using var publisherConnection = CommandLoad.Connection(node.AmqpUri(), "reliability-publisher", log);
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        var consumer = load.Consumer(consumerConnection);
        var consuming = consumer.RunAsync(stop.Token);
        // the load outlasts the faults: publishing goes on until 200 more are confirmed after the last recovery
        var faultsOver = false;
        var acceptedAtRecovery = 0;
        var publishing = load.PublishAsync(publisherConnection, commands, publishers: 8, stop.Token,
            more: () => !Volatile.Read(ref faultsOver) || load.Accepted.Count < Volatile.Read(ref acceptedAtRecovery) + 200);

        for (var i = 1; i <= faults; i++)
        {
            var threshold = commands * i / (faults + 1);
            await Eventually.TrueAsync(() => load.Accepted.Count >= threshold, $"{threshold} commands accepted before fault {i}", 120);
            var kind = fault == Fault.SigKill && i % 2 == 1 ? Fault.SigKill : Fault.GracefulRestart;
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: fault {i} ({kind}) after {load.Accepted.Count} accepted, {load.Deliveries.Count} consumed");
            if (kind == Fault.SigKill) await node.KillAsync();
            else await node.StopAsync();
            await node.StartAsync();
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: node back");
            // the next fault must hit a system that is working again
            await Eventually.TrueAsync(() => log.Count("as reliability-publisher") > i && log.Count("as reliability-consumer") > i, $"publisher and consumer reconnected after fault {i}", 120);
        }
        Volatile.Write(ref acceptedAtRecovery, load.Accepted.Count);
        Volatile.Write(ref faultsOver, true);

        if (!await Eventually.WithinAsync(() => Task.FromResult(publishing.IsCompleted), 240))
            Assert.Fail($"publishing not done 4 min after the last recovery: {load.Published} published, {load.Accepted.Count} accepted, "
                + $"{load.Refusals.Count} refused, {load.Deliveries.Count} consumed; {load.InFlight()}; {log.Count("sending again")} sent again, "
                + $"{log.Count("no confirm for message")} confirm timeouts, {log.Count("Connected to")} connections made, {log.Count("lost:")} lost\n"
                + $"--- client log (last 60 lines)\n{log.Tail(60)}\n--- broker\n{await BrokerProbe.DescribeAsync(node.CtlAsync)}\n--- broker log\n{node.Node.LogTail()}");
        await publishing;
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: publishing done");
        await Eventually.TrueAsync(() => load.Deliveries.Count >= load.Accepted.Count, "every accepted command consumed", 180);
        await Eventually.TrueAsync(async () => (await BrokerProbe.QueueAsync(node.CtlAsync, load.Queue)) is { Ready: 0, Unacked: 0 }, "the router queue empty and settled on the broker", 60);
        await stop.CancelAsync();
        await consuming;

        var queue = await BrokerProbe.QueueAsync(node.CtlAsync, load.Queue);
        var dead = await BrokerProbe.QueueAsync(node.CtlAsync, Topology.DeadLetterQueue);
        await using var check = await Connect(node);
        await using var checkChannel = await check.CreateChannelAsync();
        var witness = await load.DrainWitnessAsync(checkChannel);

        output.WriteLine($"{fault} x{faults}: {load.Published} published, {load.Accepted.Count} accepted (confirmed), {load.Refusals.Count} refused; "
            + $"{load.DeliveryCount} deliveries, {load.Deliveries.Count} distinct, {load.Duplicates} duplicates removed, {load.Effects} effects; "
            + $"broker: witness queue held {witness.Messages} messages ({witness.Ids.Count} distinct ids), router queue {queue.Ready} ready / {queue.Unacked} unacked, "
            + $"{dead.Ready} dead-lettered; {log.Count("sending again")} publishes sent again ({log.Count("no confirm for message")} after a confirm timeout), {log.Count("Connected to")} connections made; {clock.Elapsed.TotalSeconds:0} s");

        Assert.True(load.Refusals.IsEmpty, "refused publishes:\n" + string.Join('\n', load.Refusals.Take(10)) + "\n" + log.Tail());
        Assert.Equal(load.Published, load.Accepted.Count);
        Assert.True(load.Published >= commands);
        Assert.Equal(load.Accepted.Count, load.Effects);
        Assert.Empty(load.Accepted.Keys.Except(load.Deliveries.Keys));
        Assert.Empty(load.Deliveries.Keys.Except(load.Accepted.Keys));
        // the broker's view: everything that came in is accounted for and nothing is left or parked
        Assert.True(witness.Ids.SetEquals(load.Accepted.Keys), $"witness ids {witness.Ids.Count} vs accepted {load.Accepted.Count}");
        Assert.True(witness.Messages >= load.Accepted.Count);
        Assert.Equal((0, 0), (queue.Ready, queue.Unacked));
        Assert.Equal(0, dead.Ready);
        Assert.True(log.Count("as reliability-publisher") >= faults + 1 && log.Count("as reliability-consumer") >= faults + 1,
            "publisher and consumer reconnected after every fault:\n" + log.Tail());
    }

    private static Task<IConnection> Connect(RestartableNode node) =>
        new ConnectionFactory { Uri = new Uri(node.AmqpUri()), ClientProvidedName = "reliability-check" }.CreateConnectionAsync();
}
