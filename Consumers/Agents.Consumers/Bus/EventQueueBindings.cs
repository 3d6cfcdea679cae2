using Agents.Contracts;
using Agents.Messaging;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;

namespace Agents.Consumers.Bus;

/// <summary>
/// Declares the consumers' quorum queues and binds them to <c>cloudstack-events</c> with the
/// messaging kit, before MassTransit starts. MassTransit's own <c>Bind</c> would declare the
/// exchange (and bind exchange to exchange), which needs configure permission on
/// cloudstack-events: the <c>consumers</c> broker user has none, by design (the exchange belongs
/// to broker-config). A queue binding needs only read on the exchange and write on the queue.
/// </summary>
public sealed class EventQueueBindings(
    BrokerConnection connection,
    IReadOnlyList<EventQueue> queues,
    ILogger<EventQueueBindings> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var conn = await connection.GetAsync(cancellationToken).ConfigureAwait(false);
        await using var channel = await conn.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        foreach (var queue in queues)
        {
            var declare = queue.Expires is { } expires
                ? MessagingServiceCollectionExtensions.ExpiringQueue(queue.Name, expires, Topology.EventsExchange, [.. queue.Bindings])
                : MessagingServiceCollectionExtensions.QuorumQueue(queue.Name, Topology.EventsExchange, [.. queue.Bindings]);
            await declare(channel, cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Queue {Queue} bound to {Exchange} with {Bindings}", queue.Name, Topology.EventsExchange, string.Join(", ", queue.Bindings));
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>A queue of the consumers service and its bindings on cloudstack-events: a quorum queue, or with <see cref="Expires"/> a classic durable queue the broker deletes after that long unused.</summary>
public sealed record EventQueue(string Name, IReadOnlyList<string> Bindings)
{
    public TimeSpan? Expires { get; init; }
}
