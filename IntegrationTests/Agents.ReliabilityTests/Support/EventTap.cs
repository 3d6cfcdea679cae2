using System.Collections.Concurrent;
using Agents.Contracts;
using Agents.Contracts.Events;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Agents.ReliabilityTests.Support;

/// <summary>An independent subscriber on cloudstack-events: every command outcome published, as a CloudStack listener would see it.</summary>
public sealed class EventTap : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;

    private EventTap(IConnection connection, IChannel channel)
    {
        _connection = connection;
        _channel = channel;
    }

    public ConcurrentQueue<AgentCommandCompleted> Outcomes { get; } = new();

    public IReadOnlyList<AgentCommandCompleted> For(Guid commandId) => Outcomes.Where(o => o.CommandId == commandId).ToList();

    public static async Task<EventTap> StartAsync(string brokerUri, string binding = "*.ActionEvent.#")
    {
        var connection = await new ConnectionFactory { Uri = new Uri(brokerUri), ClientProvidedName = "reliability-event-tap" }.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        var queue = (await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true)).QueueName;
        await channel.QueueBindAsync(queue, Topology.EventsExchange, binding);
        var tap = new EventTap(connection, channel);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            var body = AgentJson.Deserialize<Dictionary<string, string?>>(delivery.Body.Span);
            var e = new CloudStackEvent
            {
                Source = "", Category = EventCategory.ActionEvent, Type = body.GetValueOrDefault("event") ?? "", Description = body,
            };
            if (AgentCommandCompleted.FromEvent(e) is { } outcome) tap.Outcomes.Enqueue(outcome);
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue, autoAck: true, consumer);
        return tap;
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
