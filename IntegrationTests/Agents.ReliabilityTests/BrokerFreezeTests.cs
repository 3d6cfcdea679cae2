using System.Diagnostics;
using Agents.ReliabilityTests.Support;
using Xunit.Abstractions;
using Agents.Messaging.Internal;

namespace Agents.ReliabilityTests;

/// <summary>
/// Fault: the broker stops answering without closing anything (its Erlang VM frozen with SIGSTOP, as a
/// stalled or overloaded host would look). A publish waits, gives up on the confirm, is sent again, and is
/// confirmed once the broker answers again; it never reports a cancellation nobody asked for.
/// </summary>
public sealed class BrokerFreezeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task a_publish_to_a_frozen_broker_is_confirmed_once_the_broker_answers_again()
    {
        var clock = Stopwatch.StartNew();
        await using var rig = await PublisherRig.StartAsync("reliability-freeze");
        var (load, log, publisher, connection) = (rig.Load, rig.Log, rig.Publisher, rig.Connection);
        var first = load.NewCommand();
        await new BusPublisher(publisher).SendAsync(first);

        var beam = await rig.Node.BeamPidAsync();
        BrokerSignal.Send("STOP", beam);
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: broker frozen");
        var command = load.NewCommand();
        var publish = new BusPublisher(publisher).SendAsync(command);
        TaskStatus whileFrozen;
        try
        {
            // longer than the client's ContinuationTimeout (20 s): the channel.open sent into the freeze times out
            await Task.WhenAny(publish, Task.Delay(TimeSpan.FromSeconds(35)));
            whileFrozen = publish.Status;
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: after 35 s frozen the publish is {whileFrozen}");
        }
        finally
        {
            BrokerSignal.Send("CONT", beam);
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: broker thawed");
        }
        var outcome = await Record.ExceptionAsync(() => publish.WaitAsync(TimeSpan.FromMinutes(2)));
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: publish ended: {outcome?.GetType().Name ?? "confirmed"} {outcome?.Message}\n{log.Tail(40)}");
        Assert.True(whileFrozen is not (TaskStatus.Canceled or TaskStatus.Faulted), $"the publish gave up while the broker was frozen: {whileFrozen}");
        Assert.True(outcome is null, $"the publish ended {publish.Status} though nobody cancelled it: {outcome}");
        // the broker's word, not its lagging statistics: both commands are on the witness queue
        await using var check = await (await connection.GetAsync(default)).CreateChannelAsync();
        var witness = await load.DrainWitnessAsync(check);
        output.WriteLine($"witness queue: {witness.Messages} messages, {witness.Ids.Count} distinct; {log.Count("sending again")} publishes sent again ({log.Count("no confirm for message")} after a confirm timeout)");
        Assert.Contains(first.MessageId.ToString(), witness.Ids);
        Assert.Contains(command.MessageId.ToString(), witness.Ids);
    }
}
