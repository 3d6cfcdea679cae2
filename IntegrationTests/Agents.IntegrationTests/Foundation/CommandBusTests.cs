using Agents.Contracts;
using Agents.Contracts.Commands;
using Agents.Messaging.Consuming;
using Agents.Testing;
using Microsoft.Extensions.Logging.Abstractions;
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

        var received = await Bus.DrainUntilAsync(channel, Topology.UnroutableQueue, taken => taken.Count >= sent.Count, "5 commands in agents.unroutable");
        Assert.Equal(sent.Select(c => c.MessageId.ToString()).Order(), received.Select(r => r.BasicProperties.MessageId!).Order());
        Assert.All(received, r => Assert.Equal(Topology.CommandsExchange, r.Exchange));
        Assert.Equal(0, await broker.MessagesInAsync(Topology.UnroutableQueue));
    }

    [Fact]
    public async Task a_message_its_consumer_keeps_failing_reaches_the_dead_letter_queue_after_the_delivery_limit()
    {
        var failing = new AlwaysFailing();
        await using var consumed = await ConsumedQueue.StartAsync(broker, failing);

        var messageId = Guid.NewGuid().ToString();
        await consumed.Publisher.PublishAsync(new OutgoingMessage
        {
            Exchange = "", RoutingKey = consumed.Queue, MessageId = messageId, Body = "{\"hello\":\"world\"}"u8.ToArray(),
        });

        var dead = await consumed.DeadLettersAsync(taken => taken.Count >= 1, "the message in agents.dead");
        await consumed.StopAsync();

        var single = Assert.Single(dead);
        Assert.Equal(messageId, single.BasicProperties.MessageId);
        // agents-services policy: delivery-limit 10, so 11 deliveries, the consumer alive throughout
        Assert.Equal(11, failing.Deliveries);
        Assert.Equal(0, await broker.MessagesInAsync(consumed.Queue));
    }

    [Fact]
    public async Task a_message_that_cannot_be_read_is_dead_lettered_at_once_and_the_consumer_carries_on()
    {
        var reader = new ReadsCommands();
        await using var consumed = await ConsumedQueue.StartAsync(broker, reader);

        byte[][] garbage = ["{not json"u8.ToArray(), [0xff, 0xfe, 0x00], "null"u8.ToArray(), "[1,2,3]"u8.ToArray()];
        foreach (var body in garbage)
            await consumed.Publisher.PublishAsync(new OutgoingMessage { Exchange = "", RoutingKey = consumed.Queue, MessageId = "garbage", Body = body });
        var good = Command("r1");
        await consumed.Publisher.PublishAsync(Message(consumed.Queue, good));

        var dead = await consumed.DeadLettersAsync(taken => taken.Count >= garbage.Length && reader.Read.Count == 1, "4 dead letters and the good command read");
        await consumed.StopAsync();

        Assert.Equal(garbage.Length, dead.Count);
        Assert.Equal(good.CommandId, Assert.Single(reader.Read).CommandId);
        Assert.Equal(garbage.Length + 1, reader.Deliveries);
    }

    [Fact]
    public async Task consuming_and_publishing_resume_after_the_broker_closes_every_connection()
    {
        var reader = new ReadsCommands();
        await using var consumed = await ConsumedQueue.StartAsync(broker, reader, "recovering-service");
        await Eventually.TrueAsync(() => consumed.Consumer.IsConsuming, "consumer registered");

        await consumed.Publisher.PublishAsync(Message(consumed.Queue, Command("before")));
        await Eventually.TrueAsync(() => reader.Read.Count == 1, "first command consumed");

        await broker.Node.CtlAsync("close_all_connections", "test: broker-side kill");
        await consumed.Publisher.PublishAsync(Message(consumed.Queue, Command("after")));
        await Eventually.TrueAsync(() => reader.Read.Count == 2, "second command consumed after the kill");
        await consumed.StopAsync();

        Assert.Equal(["before", "after"], reader.Read.Select(c => c.RouterId));
        Assert.Equal(0, await broker.MessagesInAsync(consumed.Queue));
    }

    private static OutgoingMessage Message(string queue, AgentCommand command) => new()
    {
        Exchange = "", RoutingKey = queue, MessageId = command.MessageId.ToString(), Body = AgentJson.ToUtf8(command),
    };

    /// <summary>
    /// A fresh consumer queue (agents.dead drained first) consumed by the kit's <see cref="QueueConsumer"/>
    /// with a handler, and the kit's publisher on the same connection. Disposing deletes the queue
    /// through a connection of its own (the test may have had the broker close every other one).
    /// </summary>
    private sealed class ConsumedQueue : IAsyncDisposable
    {
        private readonly BrokerFixture _broker;
        private readonly IConnection _admin;
        private readonly IChannel _channel;
        private readonly BrokerConnection _connection;
        private readonly CancellationTokenSource _stop = new();
        private Task _running = Task.CompletedTask;

        private ConsumedQueue(BrokerFixture broker, IConnection admin, IChannel channel, string queue, BrokerConnection connection, IMessageHandler handler)
        {
            (_broker, _admin, _channel, _connection, Queue) = (broker, admin, channel, connection, queue);
            Publisher = Bus.Publisher(connection);
            Consumer = new QueueConsumer(connection, queue, handler, NullLogger<QueueConsumer>.Instance);
        }

        public string Queue { get; }
        public ConfirmingPublisher Publisher { get; }
        public QueueConsumer Consumer { get; }

        public static async Task<ConsumedQueue> StartAsync(BrokerFixture broker, IMessageHandler handler, string name = "test")
        {
            var admin = await broker.ConnectAsync();
            var channel = await admin.CreateChannelAsync();
            await Bus.DrainAsync(channel, Topology.DeadLetterQueue);
            var queue = await Bus.DeclareConsumerQueueAsync(channel);
            var consumed = new ConsumedQueue(broker, admin, channel, queue, Bus.Connection(broker, "admin", name), handler);
            consumed._running = consumed.Consumer.RunAsync(consumed._stop.Token);
            return consumed;
        }

        public Task<List<BasicGetResult>> DeadLettersAsync(Func<IReadOnlyList<BasicGetResult>, bool> enough, string what) =>
            Bus.DrainUntilAsync(_channel, Topology.DeadLetterQueue, enough, what);

        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            await _running;
        }

        public async ValueTask DisposeAsync()
        {
            await StopAsync();
            await Publisher.DisposeAsync();
            await _connection.DisposeAsync();
            await using (var again = await _broker.ConnectAsync())
            await using (var cleanup = await again.CreateChannelAsync())
                await cleanup.QueueDeleteAsync(Queue);
            try { await _channel.DisposeAsync(); } catch (Exception) { /* closed by the broker in the recovery test */ }
            try { await _admin.DisposeAsync(); } catch (Exception) { /* likewise */ }
            _stop.Dispose();
        }
    }

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
