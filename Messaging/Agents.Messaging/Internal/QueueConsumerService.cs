using Microsoft.Extensions.Hosting;

namespace Agents.Messaging.Internal;

/// <summary>Runs a <see cref="QueueConsumer"/> for the lifetime of the host.</summary>
internal sealed class QueueConsumerService(QueueConsumer consumer) : BackgroundService
{
    public QueueConsumer Consumer => consumer;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => consumer.RunAsync(stoppingToken);
}
