using System.Text;
using Agents.Contracts;
using Agents.Testing;
using RabbitMQ.Client;

namespace Agents.Producers.Tests.Support;

/// <summary>A queue bound to every command and every event: what the broker carried, to read afterwards.</summary>
public sealed class BusTap : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly List<Carried> _seen = [];

    public sealed record Carried(string Exchange, string RoutingKey, string? Type, string? CorrelationId, string Body);

    private BusTap(IConnection connection, IChannel channel, string queue)
    {
        _connection = connection;
        _channel = channel;
        Queue = queue;
    }

    public string Queue { get; }

    /// <summary>Bound to the commands of <paramref name="routerId"/> only: a command for a router nobody serves must still reach agents.unroutable.</summary>
    public static async Task<BusTap> StartAsync(BrokerFixture broker, string routerId)
    {
        var connection = await broker.ConnectAsync(name: "test-tap");
        var channel = await connection.CreateChannelAsync();
        var queue = "test.tap." + Guid.NewGuid().ToString("N")[..8];
        await channel.QueueDeclareAsync(queue, durable: false, exclusive: true, autoDelete: true);
        await channel.QueueBindAsync(queue, Topology.CommandsExchange, Topology.RouterBinding(routerId));
        await channel.QueueBindAsync(queue, Topology.EventsExchange, "#");
        return new BusTap(connection, channel, queue);
    }

    /// <summary>Everything carried so far (drains the queue into memory).</summary>
    public async Task<IReadOnlyList<Carried>> AllAsync()
    {
        while (await _channel.BasicGetAsync(Queue, autoAck: true) is { } message)
            _seen.Add(new Carried(message.Exchange, message.RoutingKey, message.BasicProperties.Type, message.BasicProperties.CorrelationId,
                Encoding.UTF8.GetString(message.Body.Span)));
        return _seen.ToList();
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
