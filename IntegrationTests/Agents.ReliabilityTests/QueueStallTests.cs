using System.Diagnostics;
using Agents.ReliabilityTests.Support;
using Xunit.Abstractions;
using Agents.Messaging.Internal;

namespace Agents.ReliabilityTests;

/// <summary>
/// Fault: one queue stops answering (its Ra server suspended) while the broker and its connections stay up. The
/// publisher gives up on the confirm and sends again; the connection it shares with every other publish stays up.
/// </summary>
public sealed class QueueStallTests(ITestOutputHelper output)
{
    [Fact]
    public async Task a_queue_that_stops_confirming_leaves_the_publishers_connection_up_and_its_publish_is_confirmed_once_it_answers()
    {
        var clock = Stopwatch.StartNew();
        await using var rig = await PublisherRig.StartAsync("reliability-stall");
        var (node, load, log, publisher) = (rig.Node, rig.Load, rig.Log, rig.Publisher);
        await new BusPublisher(publisher).SendAsync(load.NewCommand());

        var server = $"'%2F_{load.WitnessQueue}'";
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: suspend {server}: {(await node.CtlAsync("eval", $"sys:suspend({server}).")).Trim()}");
        var command = load.NewCommand();
        var publish = new BusPublisher(publisher).SendAsync(command);
        try
        {
            await Task.WhenAny(publish, Task.Delay(TimeSpan.FromSeconds(25)));
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: after 25 s the publish is {publish.Status}");
        }
        finally
        {
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: resume: {(await node.CtlAsync("eval", $"sys:resume({server}).")).Trim()}");
        }
        var outcome = await Record.ExceptionAsync(() => publish.WaitAsync(TimeSpan.FromMinutes(2)));
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: publish ended: {outcome?.GetType().Name ?? "confirmed"} {outcome?.Message}\n{log.Tail(40)}");
        Assert.True(outcome is null, $"the publish ended {publish.Status}: {outcome}");
        Assert.True(log.Count("no confirm for message") > 0, "the publish never waited for a confirm: the queue was not stalled");
        Assert.True(log.Count("lost:") == 0, "the publisher's connection was lost while one queue stalled:\n" + log.Tail());
    }
}
