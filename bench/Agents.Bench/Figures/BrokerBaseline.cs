using System.Diagnostics;
using Agents.Bench.Report;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Agents.Bench.Figures;

/// <summary>
/// The ceiling: raw RabbitMQ.Client doing the pipeline's two hops with nothing of ours in between.
/// Hop 1 publishes a command-sized persistent message to a quorum queue with confirms; its consumer
/// publishes a result-sized persistent message to a topic exchange with confirms; a second
/// consumer reads it from a quorum queue bound there.
/// </summary>
public sealed class BrokerBaseline(string amqpUri)
{
    private const int CommandBytes = 700;
    private const int ResultBytes = 1200;
    private const int PublisherChannels = CommandPipeline.InFlight;
    private const int RelayPublishChannels = 16;

    public sealed record Result(double PerSecond, double P50, double P95, double P99);

    public async Task<Result> RunAsync(int messages, int lightLoadSamples)
    {
        var factory = new ConnectionFactory { Uri = new Uri(amqpUri), ClientProvidedName = "bench-baseline" };
        await using var connection = await factory.CreateConnectionAsync();
        var id = Guid.NewGuid().ToString("N")[..8];
        var commands = $"bench.commands.{id}";
        var results = $"bench.results.{id}";
        var exchange = $"bench.events.{id}";
        await using (var setup = await connection.CreateChannelAsync())
        {
            var quorum = new Dictionary<string, object?> { ["x-queue-type"] = "quorum" };
            await setup.QueueDeclareAsync(commands, true, false, false, quorum);
            await setup.QueueDeclareAsync(results, true, false, false, quorum);
            await setup.ExchangeDeclareAsync(exchange, ExchangeType.Topic, durable: false, autoDelete: true);
            await setup.QueueBindAsync(results, exchange, "#");
        }

        var done = new System.Collections.Concurrent.ConcurrentDictionary<string, TaskCompletionSource>();
        // the relay publishes on a pool of confirming channels, as the bridge's ConfirmingPublisher does
        var relayPool = System.Threading.Channels.Channel.CreateUnbounded<IChannel>();
        var relayPublishers = new List<IChannel>();
        for (var i = 0; i < RelayPublishChannels; i++)
        {
            var channel = await OpenConfirmingAsync(connection);
            relayPublishers.Add(channel);
            relayPool.Writer.TryWrite(channel);
        }
        var relay = await connection.CreateChannelAsync(new CreateChannelOptions(false, false, null, 64));
        await relay.BasicQosAsync(0, 256, false);
        var relayConsumer = new AsyncEventingBasicConsumer(relay);
        var resultBody = new byte[ResultBytes];
        relayConsumer.ReceivedAsync += async (_, d) =>
        {
            var props = new BasicProperties { MessageId = d.BasicProperties.MessageId, DeliveryMode = DeliveryModes.Persistent };
            var channel = await relayPool.Reader.ReadAsync();
            try { await channel.BasicPublishAsync(exchange, "a.b.c.d.e", false, props, resultBody); }
            finally { relayPool.Writer.TryWrite(channel); }
            await relay.BasicAckAsync(d.DeliveryTag, false);
        };
        await relay.BasicConsumeAsync(commands, false, relayConsumer);

        var sink = await connection.CreateChannelAsync();
        await sink.BasicQosAsync(0, 256, false);
        var sinkConsumer = new AsyncEventingBasicConsumer(sink);
        sinkConsumer.ReceivedAsync += async (_, d) =>
        {
            if (d.BasicProperties.MessageId is { } mid && done.TryRemove(mid, out var tcs)) tcs.TrySetResult();
            await sink.BasicAckAsync(d.DeliveryTag, false);
        };
        await sink.BasicConsumeAsync(results, false, sinkConsumer);

        var publishers = new List<IChannel>();
        for (var i = 0; i < PublisherChannels; i++) publishers.Add(await OpenConfirmingAsync(connection));
        var commandBody = new byte[CommandBytes];

        async Task OneAsync(IChannel channel)
        {
            var mid = Guid.NewGuid().ToString();
            var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            done[mid] = tcs;
            await channel.BasicPublishAsync("", commands, true, new BasicProperties { MessageId = mid, DeliveryMode = DeliveryModes.Persistent }, commandBody);
            await tcs.Task;
        }

        // light load: one message in flight, end-to-end latency
        var latencies = new List<double>();
        for (var i = 0; i < lightLoadSamples; i++)
        {
            var watch = Stopwatch.StartNew();
            await OneAsync(publishers[0]);
            latencies.Add(watch.Elapsed.TotalMilliseconds);
        }

        // saturation: every publisher channel busy
        var total = Stopwatch.StartNew();
        var next = 0;
        await Task.WhenAll(publishers.Select(async channel =>
        {
            while (Interlocked.Increment(ref next) <= messages) await OneAsync(channel);
        }));
        var perSecond = messages / total.Elapsed.TotalSeconds;

        foreach (var channel in publishers) await channel.DisposeAsync();
        await relay.DisposeAsync();
        await sink.DisposeAsync();
        foreach (var channel in relayPublishers) await channel.DisposeAsync();
        await using (var cleanup = await connection.CreateChannelAsync())
        {
            await cleanup.QueueDeleteAsync(commands);
            await cleanup.QueueDeleteAsync(results);
        }
        return new Result(perSecond, Latency.Percentile(latencies, 50), Latency.Percentile(latencies, 95), Latency.Percentile(latencies, 99));
    }

    private static Task<IChannel> OpenConfirmingAsync(IConnection connection) =>
        connection.CreateChannelAsync(new CreateChannelOptions(true, true, new ThrottlingRateLimiter(64)));
}
