using Agents.Messaging;
using Agents.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using Agents.Messaging.Internal;

namespace Agents.IntegrationTests.Foundation;

/// <summary>The messaging kit wired by hand against the fixture's node, as a service would wire it.</summary>
internal static class Bus
{
    public static BrokerConnection Connection(BrokerFixture broker, string user = "admin", string name = "test") =>
        new(Options.Create(new RabbitMqOptions { Uri = broker.AmqpUri(user), ConnectionName = name, PrefetchCount = 8 }),
            NullLogger<BrokerConnection>.Instance);

    public static ConfirmingPublisher Publisher(BrokerConnection connection) =>
        new(connection, NullLogger<ConfirmingPublisher>.Instance);

    /// <summary>Takes every message now in <paramref name="queue"/> (acking them), up to <paramref name="max"/>.</summary>
    public static async Task<List<BasicGetResult>> DrainAsync(IChannel channel, string queue, int max = 10_000)
    {
        var taken = new List<BasicGetResult>();
        while (taken.Count < max && await channel.BasicGetAsync(queue, autoAck: true) is { } result) taken.Add(result);
        return taken;
    }

    /// <summary>Takes what arrives in <paramref name="queue"/> (acking it) until <paramref name="enough"/> holds for all taken so far.</summary>
    public static async Task<List<BasicGetResult>> DrainUntilAsync(IChannel channel, string queue, Func<IReadOnlyList<BasicGetResult>, bool> enough, string what)
    {
        var taken = new List<BasicGetResult>();
        await Eventually.TrueAsync(async () =>
        {
            taken.AddRange(await DrainAsync(channel, queue));
            return enough(taken);
        }, what);
        return taken;
    }

    /// <summary>A fresh quorum queue named as the consumers' queues are (consumers.…, so broker-config's agents-services policy applies).</summary>
    public static async Task<string> DeclareConsumerQueueAsync(IChannel channel)
    {
        var queue = $"consumers.test-{Guid.NewGuid():N}";
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false,
            arguments: new Dictionary<string, object?> { ["x-queue-type"] = "quorum" });
        return queue;
    }
}
