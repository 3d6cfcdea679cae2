using System.Diagnostics;
using Agents.Messaging.Rpc;
using Agents.ReliabilityTests.Support;
using Xunit.Abstractions;
using Agents.Messaging.Internal;

namespace Agents.ReliabilityTests;

/// <summary>
/// Fault: the broker freezes (SIGSTOP) while a request to the CA is being sent. The caller gets an
/// RpcException (what the bridge and the API catch and retry), never a cancellation it did not ask
/// for (which would, e.g., stop a bridge that is starting); once the broker answers, the next call works.
/// </summary>
public sealed class RpcFreezeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task a_request_sent_to_a_frozen_broker_fails_with_an_rpc_error_not_a_cancellation_and_the_next_one_works()
    {
        var clock = Stopwatch.StartNew();
        await using var rig = await PublisherRig.StartAsync("reliability-rpc-freeze");
        await using var rpc = new RpcClient(rig.Connection, rig.Log.For<RpcClient>());
        var queue = $"reliability.rpc.{Guid.NewGuid():N}";
        await using (var declare = await (await rig.Connection.GetAsync(default)).CreateChannelAsync())
            await declare.QueueDeclareAsync(queue, durable: false, exclusive: false, autoDelete: false);

        var beam = await rig.Node.BeamPidAsync();
        Exception? whileFrozen;
        BrokerSignal.Send("STOP", beam);
        try
        {
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: broker frozen");
            // the reply channel is opened now, into the freeze: 7.1.2 gives up on channel.open after 20 s
            whileFrozen = await Record.ExceptionAsync(() => rpc.CallAsync(queue, "Ping", new Agents.Contracts.Ca.GetCaCertificate(), TimeSpan.FromSeconds(40)));
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: the call ended {whileFrozen?.GetType().Name}: {whileFrozen?.Message}");
        }
        finally
        {
            BrokerSignal.Send("CONT", beam);
        }
        Assert.IsType<RpcException>(whileFrozen);

        // thawed: the broker answers again, so a call is published (nobody serves the queue: no answer within 2 s)
        var after = await Record.ExceptionAsync(() => rpc.CallAsync(queue, "Ping", new Agents.Contracts.Ca.GetCaCertificate(), TimeSpan.FromSeconds(2)));
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: after the thaw: {after?.GetType().Name}: {after?.Message}");
        var timedOut = Assert.IsType<RpcException>(after);
        Assert.Contains("no answer from", timedOut.Message, StringComparison.Ordinal);
    }
}
