using Agents.Contracts;
using Agents.Contracts.Commands;
using Agents.Messaging.Consuming;
using Agents.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Newtonsoft.Json.Linq;
using RabbitMQ.Client;
using Agents.Messaging.Internal;

namespace Agents.IntegrationTests.Foundation;

[Collection(BrokerCollection.Name)]
public sealed class CommandBusTests(BrokerFixture broker)
{
    private static AgentCommand Command(string routerId) => new()
    {
        MessageId = Guid.NewGuid(),
        CommandId = Guid.NewGuid(),
        JobId = Guid.NewGuid(),
        Type = CommandTypes.RunRecipe,
        RouterId = routerId,
        VmId = Guid.NewGuid().ToString(),
        CreatedAt = DateTimeOffset.UtcNow,
        Payload = AgentCommand.PayloadOf(new RunRecipe { Name = "noop" }),
    };

    [Fact]
    public async Task a_command_to_a_router_nobody_serves_lands_in_the_unroutable_queue()
    {
        await using var admin = await broker.ConnectAsync();
        await using var channel = await admin.CreateChannelAsync();
        await Bus.DrainAsync(channel, Topology.UnroutableQueue);

        await using var connection = Bus.Connection(broker, "producers");
        await using var publisher = Bus.Publisher(connection);
        var sent = Enumerable.Range(0, 5).Select(_ => Command("nobody-" + Guid.NewGuid().ToString("N")[..8])).ToList();
        foreach (var command in sent) await new BusPublisher(publisher).SendAsync(command);

        var received = new List<BasicGetResult>();
        await Eventually.TrueAsync(async () =>
        {
            received.AddRange(await Bus.DrainAsync(channel, Topology.UnroutableQueue));
            return received.Count >= sent.Count;
        }, "5 commands in agents.unroutable");
        Assert.Equal(sent.Select(c => c.MessageId.ToString()).Order(), received.Select(r => r.BasicProperties.MessageId!).Order());
        Assert.All(received, r => Assert.Equal(Topology.CommandsExchange, r.Exchange));
        Assert.Equal(0, await broker.MessagesInAsync(Topology.UnroutableQueue));
    }

    [Fact]
    public async Task a_message_its_consumer_keeps_failing_reaches_the_dead_letter_queue_after_the_delivery_limit()
    {
        await using var admin = await broker.ConnectAsync();
        await using var channel = await admin.CreateChannelAsync();
        await Bus.DrainAsync(channel, Topology.DeadLetterQueue);
        var queue = await Bus.DeclareConsumerQueueAsync(channel);

        await using var connection = Bus.Connection(broker);
        await using var publisher = Bus.Publisher(connection);
        var failing = new AlwaysFailing();
        using var stop = new CancellationTokenSource();
        var consumer = new QueueConsumer(connection, queue, failing, NullLogger<QueueConsumer>.Instance);
        var running = consumer.RunAsync(stop.Token);

        var messageId = Guid.NewGuid().ToString();
        await publisher.PublishAsync(new OutgoingMessage
        {
            Exchange = "", RoutingKey = queue, MessageId = messageId, Body = "{\"hello\":\"world\"}"u8.ToArray(),
        });

        var dead = new List<BasicGetResult>();
        await Eventually.TrueAsync(async () =>
        {
            dead.AddRange(await Bus.DrainAsync(channel, Topology.DeadLetterQueue));
            return dead.Count >= 1;
        }, "the message in agents.dead");
        await stop.CancelAsync();
        await running;

        var single = Assert.Single(dead);
        Assert.Equal(messageId, single.BasicProperties.MessageId);
        // agents-services policy: delivery-limit 10, so 11 deliveries, the consumer alive throughout
        Assert.Equal(11, failing.Deliveries);
        Assert.Equal(0, await broker.MessagesInAsync(queue));
        await channel.QueueDeleteAsync(queue);
    }

    [Fact]
    public async Task a_message_that_cannot_be_read_is_dead_lettered_at_once_and_the_consumer_carries_on()
    {
        await using var admin = await broker.ConnectAsync();
        await using var channel = await admin.CreateChannelAsync();
        await Bus.DrainAsync(channel, Topology.DeadLetterQueue);
        var queue = await Bus.DeclareConsumerQueueAsync(channel);

        await using var connection = Bus.Connection(broker);
        await using var publisher = Bus.Publisher(connection);
        var reader = new ReadsCommands();
        using var stop = new CancellationTokenSource();
        var running = new QueueConsumer(connection, queue, reader, NullLogger<QueueConsumer>.Instance).RunAsync(stop.Token);

        byte[][] garbage = ["{not json"u8.ToArray(), [0xff, 0xfe, 0x00], "null"u8.ToArray(), "[1,2,3]"u8.ToArray()];
        foreach (var body in garbage)
            await publisher.PublishAsync(new OutgoingMessage { Exchange = "", RoutingKey = queue, MessageId = "garbage", Body = body });
        var good = Command("r1");
        await publisher.PublishAsync(new OutgoingMessage { Exchange = "", RoutingKey = queue, MessageId = good.MessageId.ToString(), Body = AgentJson.ToUtf8(good) });

        var dead = new List<BasicGetResult>();
        await Eventually.TrueAsync(async () =>
        {
            dead.AddRange(await Bus.DrainAsync(channel, Topology.DeadLetterQueue));
            return dead.Count >= garbage.Length && reader.Read.Count == 1;
        }, "4 dead letters and the good command read");
        await stop.CancelAsync();
        await running;

        Assert.Equal(garbage.Length, dead.Count);
        Assert.Equal(good.CommandId, Assert.Single(reader.Read).CommandId);
        Assert.Equal(garbage.Length + 1, reader.Deliveries);
        await channel.QueueDeleteAsync(queue);
    }

    [Fact]
    public async Task consuming_and_publishing_resume_after_the_broker_closes_every_connection()
    {
        await using var admin = await broker.ConnectAsync();
        await using var channel = await admin.CreateChannelAsync();
        var queue = await Bus.DeclareConsumerQueueAsync(channel);

        await using var connection = Bus.Connection(broker, "admin", "recovering-service");
        await using var publisher = Bus.Publisher(connection);
        var reader = new ReadsCommands();
        using var stop = new CancellationTokenSource();
        var consumer = new QueueConsumer(connection, queue, reader, NullLogger<QueueConsumer>.Instance);
        var running = consumer.RunAsync(stop.Token);
        await Eventually.TrueAsync(() => consumer.IsConsuming, "consumer registered");

        await publisher.PublishAsync(Message(queue, Command("before")));
        await Eventually.TrueAsync(() => reader.Read.Count == 1, "first command consumed");

        await broker.Node.CtlAsync("close_all_connections", "test: broker-side kill");
        await publisher.PublishAsync(Message(queue, Command("after")));
        await Eventually.TrueAsync(() => reader.Read.Count == 2, "second command consumed after the kill");
        await stop.CancelAsync();
        await running;

        Assert.Equal(["before", "after"], reader.Read.Select(c => c.RouterId));
        Assert.Equal(0, await broker.MessagesInAsync(queue));
        await using var again = await broker.ConnectAsync();
        await using var cleanup = await again.CreateChannelAsync();
        await cleanup.QueueDeleteAsync(queue);
    }

    private static OutgoingMessage Message(string queue, AgentCommand command) => new()
    {
        Exchange = "", RoutingKey = queue, MessageId = command.MessageId.ToString(), Body = AgentJson.ToUtf8(command),
    };

    private sealed class AlwaysFailing : IMessageHandler
    {
        private int _deliveries;
        public int Deliveries => _deliveries;

        public Task<Disposition> HandleAsync(IncomingMessage message, CancellationToken ct)
        {
            Interlocked.Increment(ref _deliveries);
            throw new InvalidOperationException("simulated handler failure");
        }
    }

    private sealed class ReadsCommands : IMessageHandler
    {
        private int _deliveries;
        public int Deliveries => _deliveries;
        public List<AgentCommand> Read { get; } = [];

        public Task<Disposition> HandleAsync(IncomingMessage message, CancellationToken ct)
        {
            Interlocked.Increment(ref _deliveries);
            var command = message.Read<AgentCommand>();
            lock (Read) Read.Add(command);
            return Task.FromResult(Disposition.Ack);
        }
    }
}
