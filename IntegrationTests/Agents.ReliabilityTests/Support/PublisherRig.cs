using Agents.Messaging;
using Microsoft.Extensions.Options;
using Agents.Messaging.Internal;

namespace Agents.ReliabilityTests.Support;

/// <summary>
/// A private node with one router's queues declared and settled, one connection and a publisher that gives up on a
/// confirm after a few seconds: what a test needs to watch single publishes through a fault.
/// </summary>
internal sealed class PublisherRig(RestartableNode node, LogSink log, CommandLoad load, BrokerConnection connection, ConfirmingPublisher publisher)
    : IAsyncDisposable
{
    public RestartableNode Node => node;
    public LogSink Log => log;
    public CommandLoad Load => load;
    public BrokerConnection Connection => connection;
    public ConfirmingPublisher Publisher => publisher;

    public static async Task<PublisherRig> StartAsync(string connectionName, int confirmTimeoutSeconds = 3)
    {
        var started = new RestartableNode();
        await started.StartAsync();
        var sink = new LogSink();
        var commands = new CommandLoad(Guid.NewGuid().ToString("N")[..12], sink);
        var broker = new BrokerConnection(Options.Create(new RabbitMqOptions
        {
            Uri = started.AmqpUri(), ConnectionName = connectionName, MaxReconnectDelaySeconds = 2, PublishConfirmTimeoutSeconds = confirmTimeoutSeconds,
        }), sink.For<BrokerConnection>());
        await using (var declare = await (await broker.GetAsync(default)).CreateChannelAsync())
            await commands.DeclareAsync(declare);
        await started.SettleAsync();
        return new PublisherRig(started, sink, commands, broker, new ConfirmingPublisher(broker, sink.For<ConfirmingPublisher>()));
    }

    public async ValueTask DisposeAsync()
    {
        await publisher.DisposeAsync();
        await connection.DisposeAsync();
        await node.DisposeAsync();
    }
}
