using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Agents.Messaging.Internal;

/// <summary>Declares queues another client consumes (the consumers' MassTransit endpoints) once, when the host starts.</summary>
internal sealed class QueueDeclarer(BrokerConnection connection, IReadOnlyList<QueueDeclaration> queues, ILogger<QueueDeclarer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var conn = await connection.GetAsync(cancellationToken).ConfigureAwait(false);
        await using var channel = await conn.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        foreach (var queue in queues)
        {
            await queue.DeclareAsync(channel, cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Queue {Queue} bound to {Exchange} with {Bindings}", queue.Name, queue.Exchange, string.Join(", ", queue.Bindings));
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
