using Agents.Messaging;
using Agents.Messaging.Internal;
using Agents.Messaging.Telemetry;
using Agents.Testing;
using RabbitMQ.Client;

namespace Agents.IntegrationTests.Foundation;

/// <summary>
/// <see cref="ConfirmingPublisher.PublishAllAsync"/>: a batch pipelined on one channel and confirmed as a
/// whole (how the bridge publishes a batch's outcomes), on a real node.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class BatchPublishTests(BrokerFixture broker)
{
    private static List<OutgoingMessage> Batch(string queue, int count, int bodyBytes = 64) =>
        [.. Enumerable.Range(0, count).Select(_ => new OutgoingMessage
        {
            Exchange = "", RoutingKey = queue, MessageId = Guid.NewGuid().ToString(), Body = new byte[bodyBytes],
        })];

    /// <summary>Messages in the queue now, as the queue itself counts them (the management's counts lag by seconds).</summary>
    private static async Task<uint> ReadyAsync(IChannel channel, string queue) => (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;

    [Fact]
    public async Task every_message_of_a_batch_is_in_the_queue_once_when_the_batch_completes()
    {
        await using var rig = await Rig.StartAsync(broker);
        var (channel, queue, publisher) = (rig.Channel, rig.Queue, rig.Publisher);
        var batch = Batch(queue, 2_000);

        await publisher.PublishAllAsync(batch);

        // confirmed means enqueued: every message is there the moment the call returns, none twice
        Assert.Equal((uint)batch.Count, await ReadyAsync(channel, queue));
        var taken = await Bus.DrainAsync(channel, queue);
        Assert.Equal(batch.Select(m => m.MessageId).Order(), taken.Select(t => t.BasicProperties.MessageId!).Order());
    }

    [Fact]
    public async Task a_batch_cut_by_the_broker_closing_every_connection_completes_with_every_message_enqueued()
    {
        await using var rig = await Rig.StartAsync(broker);
        var (channel, queue, publisher) = (rig.Channel, rig.Queue, rig.Publisher);
        var batch = Batch(queue, 5_000, bodyBytes: 8192);

        var publishing = publisher.PublishAllAsync(batch);
        while (await ReadyAsync(channel, queue) < 1_000 && !publishing.IsCompleted) await Task.Delay(10);
        var enqueuedBeforeTheCut = await ReadyAsync(channel, queue);
        Assert.False(publishing.IsCompleted, $"the batch was done before the cut ({enqueuedBeforeTheCut} enqueued): the test proves nothing");
        await broker.Node.CtlAsync("close_all_connections", "test: connections cut during a batch");
        // the cut closed this test's own connection too
        await using var reader = await broker.ConnectAsync();
        await using var readChannel = await reader.CreateChannelAsync();

        await publishing.WaitAsync(TimeSpan.FromMinutes(2));

        // at least once: what was confirmed before the cut is not sent again, what was not may be there twice
        var ids = (await Bus.DrainAsync(readChannel, queue, 100_000)).Select(t => t.BasicProperties.MessageId!).ToHashSet();
        var missing = batch.Select(m => m.MessageId).Where(id => !ids.Contains(id)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} of {batch.Count} messages missing after the cut, e.g. {missing.FirstOrDefault()}");
    }

    [Fact]
    public async Task a_batch_with_an_unroutable_mandatory_message_fails_naming_it_and_the_others_are_still_enqueued()
    {
        await using var rig = await Rig.StartAsync(broker);
        var (channel, queue, publisher) = (rig.Channel, rig.Queue, rig.Publisher);
        var batch = Batch(queue, 50);
        var lost = batch[20] with { RoutingKey = "nobody-binds-" + Guid.NewGuid().ToString("N") };
        batch[20] = lost;

        var refused = await Assert.ThrowsAsync<PublishFailedException>(() => publisher.PublishAllAsync(batch));

        Assert.Contains(lost.MessageId, refused.Message, StringComparison.Ordinal);
        Assert.Equal((uint)batch.Count - 1, await ReadyAsync(channel, queue));
    }

    [Fact]
    public async Task concurrent_coalesced_publishes_go_in_fewer_batches_each_enqueued_once_with_its_own_callers_trace()
    {
        await using var rig = await Rig.StartAsync(broker);
        var (channel, queue, publisher) = (rig.Channel, rig.Queue, rig.Publisher);
        var messages = Batch(queue, 300);
        var traces = new System.Collections.Concurrent.ConcurrentDictionary<string, string>();

        // each caller in its own trace, all at once: those arriving while a batch waits for its confirms go in the next
        using var start = new ManualResetEventSlim();
        var publishing = messages.Select(m => Task.Run(async () =>
        {
            start.Wait();
            using var caller = new System.Diagnostics.Activity("caller").SetIdFormat(System.Diagnostics.ActivityIdFormat.W3C).Start();
            traces[m.MessageId] = caller.TraceId.ToString();
            await publisher.PublishCoalescedAsync(m);
        })).ToList();
        start.Set();
        await Task.WhenAll(publishing).WaitAsync(TimeSpan.FromMinutes(1));

        // confirmed means enqueued, once each
        Assert.Equal((uint)messages.Count, await ReadyAsync(channel, queue));
        var taken = await Bus.DrainAsync(channel, queue);
        Assert.Equal(messages.Select(m => m.MessageId).Order(), taken.Select(t => t.BasicProperties.MessageId!).Order());
        Assert.True(publisher.CoalescedBatches <= messages.Count / 2, $"{publisher.CoalescedBatches} batches for {messages.Count} concurrent messages: they were not coalesced");
        foreach (var message in taken)
        {
            var traceParent = System.Text.Encoding.UTF8.GetString((byte[])message.BasicProperties.Headers![MessagingTracing.TraceParentHeader]!);
            Assert.Equal(traces[message.BasicProperties.MessageId!], traceParent.Split('-')[1]);
        }
    }

    [Fact]
    public async Task a_coalesced_publish_the_broker_cannot_route_fails_naming_it_and_the_next_one_goes()
    {
        await using var rig = await Rig.StartAsync(broker);
        var (channel, queue, publisher) = (rig.Channel, rig.Queue, rig.Publisher);
        var lost = Batch(queue, 1)[0] with { RoutingKey = "nobody-binds-" + Guid.NewGuid().ToString("N") };

        var refused = await Assert.ThrowsAsync<PublishFailedException>(() => publisher.PublishCoalescedAsync(lost));
        Assert.Contains(lost.MessageId, refused.Message, StringComparison.Ordinal);

        var next = Batch(queue, 1)[0];
        await publisher.PublishCoalescedAsync(next);
        Assert.Equal(next.MessageId, Assert.Single(await Bus.DrainAsync(channel, queue)).BasicProperties.MessageId);
    }

    /// <summary>A fresh consumer queue and the kit's publisher; disposing deletes the queue through a connection of its own (a test may have cut the others).</summary>
    private sealed class Rig(BrokerFixture broker, IConnection admin, IChannel channel, string queue, BrokerConnection connection) : IAsyncDisposable
    {
        public IChannel Channel => channel;
        public string Queue => queue;
        public ConfirmingPublisher Publisher { get; } = Bus.Publisher(connection);

        public static async Task<Rig> StartAsync(BrokerFixture broker)
        {
            var admin = await broker.ConnectAsync();
            var channel = await admin.CreateChannelAsync();
            return new Rig(broker, admin, channel, await Bus.DeclareConsumerQueueAsync(channel), Bus.Connection(broker));
        }

        public async ValueTask DisposeAsync()
        {
            await Publisher.DisposeAsync();
            await connection.DisposeAsync();
            await channel.DisposeAsync();
            await admin.DisposeAsync();
            await using var cleaner = await broker.ConnectAsync();
            await using var cleaning = await cleaner.CreateChannelAsync();
            await cleaning.QueueDeleteAsync(queue);
        }
    }
}
