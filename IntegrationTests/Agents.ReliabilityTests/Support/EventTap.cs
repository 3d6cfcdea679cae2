using System.Collections.Concurrent;
using Agents.Contracts;
using Agents.Contracts.Events;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Agents.ReliabilityTests.Support;

/// <summary>
/// An independent subscriber on cloudstack-events, bound as a CloudStack listener would bind
/// (<c>*.ActionEvent.#</c> unless told otherwise, e.g. <c>*.AlertEvent.#</c>): every event it
/// received, and the command outcomes among them. Shared by the reliability and bridge suites.
/// </summary>
public sealed class EventTap : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;

    private EventTap(IConnection connection, IChannel channel)
    {
        _connection = connection;
        _channel = channel;
    }

    /// <summary>Every event received, with its routing key.</summary>
    public ConcurrentQueue<CloudStackEvent> Events { get; } = new();

    /// <summary>The command outcomes among <see cref="Events"/>, in the order received.</summary>
    public ConcurrentQueue<AgentCommandCompleted> Outcomes { get; } = new();

    /// <summary>Every outcome published for this command (more than one would be a duplicate).</summary>
    public IReadOnlyList<AgentCommandCompleted> For(Guid commandId) => Outcomes.Where(o => o.CommandId == commandId).ToList();

    public static async Task<EventTap> StartAsync(string brokerUri, params string[] bindings)
    {
        if (bindings.Length == 0) bindings = ["*.ActionEvent.#"];
        var connection = await new ConnectionFactory { Uri = new Uri(brokerUri), ClientProvidedName = "test-event-tap" }.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        var queue = (await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true)).QueueName;
        foreach (var binding in bindings) await channel.QueueBindAsync(queue, Topology.EventsExchange, binding);
        var tap = new EventTap(connection, channel);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            var received = CloudStackEvent.Read(delivery.RoutingKey, delivery.Body.Span);
            tap.Events.Enqueue(received);
            if (AgentCommandCompleted.FromEvent(received) is { } outcome) tap.Outcomes.Enqueue(outcome);
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue, autoAck: true, consumer);
        return tap;
    }

    public IReadOnlyList<AlertRaised> Alerts(string groupKey) =>
        Events.Where(e => e.Category == EventCategory.AlertEvent).Select(AlertRaised.FromEvent).Where(a => a.GroupKey == groupKey).ToList();

    public AgentCommandCompleted? Outcome(Guid commandId) => Outcomes.FirstOrDefault(o => o.CommandId == commandId);

    public AgentCommandCompleted? OutcomeOfJob(Guid jobId) => Outcomes.FirstOrDefault(o => o.JobId == jobId);

    /// <summary>Waits until <paramref name="found"/> returns something; fails with <paramref name="what"/> and what was seen.</summary>
    public async Task<T> WaitAsync<T>(Func<EventTap, T?> found, string what, double seconds) where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            if (found(this) is { } result) return result;
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"timed out after {seconds} s waiting for {what}; events seen:\n" +
                    string.Join('\n', Events.Select(e => $"{e.RoutingKey} {e["subject"] ?? e["description"]}")));
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
