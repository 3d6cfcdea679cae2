using System.Collections.Concurrent;
using Agents.Contracts;
using Agents.Contracts.Commands;
using Agents.Messaging;
using Agents.Messaging.Consuming;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using Agents.Messaging.Internal;

namespace Agents.ReliabilityTests.Support;

/// <summary>
/// Commands for one router published with the messaging kit (confirms, resend of what was not
/// confirmed) and consumed by an idempotent handler that deduplicates by message id: the ledger
/// of what was accepted, delivered and acted on, to compare with the broker's own counts.
/// </summary>
internal sealed class CommandLoad(string routerId, LogSink log)
{
    public string RouterId => routerId;
    public string Queue => Topology.RouterQueue(routerId);
    /// <summary>A second queue on the same binding, never consumed: the broker's own count of what came in.</summary>
    public string WitnessQueue => $"reliability.witness.{routerId}";

    public ConcurrentDictionary<string, byte> Accepted { get; } = new();
    public ConcurrentDictionary<string, int> Deliveries { get; } = new();
    public ConcurrentQueue<string> Refusals { get; } = new();
    /// <summary>Publishes handed to the publisher and not yet returned, with when each started.</summary>
    private readonly ConcurrentDictionary<Guid, DateTime> _inFlight = new();
    private int _effects;
    private int _published;
    private int _deliveryCount;

    /// <summary>Times the handler acted (first delivery of a message id).</summary>
    public int Effects => Volatile.Read(ref _effects);
    public int DeliveryCount => Volatile.Read(ref _deliveryCount);
    /// <summary>Commands handed to a publisher (accepted or refused).</summary>
    public int Published => Volatile.Read(ref _published);
    public int Duplicates => DeliveryCount - Deliveries.Count;

    /// <summary>For a failure message: how many publishes are waiting inside the publisher, and since when.</summary>
    public string InFlight()
    {
        var started = _inFlight.Values.ToArray();
        if (started.Length == 0) return "0 publishes in flight";
        var now = DateTime.UtcNow;
        return $"{started.Length} publishes in flight, waiting {(now - started.Max()).TotalSeconds:0}–{(now - started.Min()).TotalSeconds:0} s";
    }

    public static BrokerConnection Connection(string uri, string name, LogSink log) =>
        new(Options.Create(new RabbitMqOptions { Uri = uri, ConnectionName = name, PrefetchCount = 64, MaxReconnectDelaySeconds = 2 }),
            log.For<BrokerConnection>());

    /// <summary>The router queue (as the bridge declares it) and the witness queue, both quorum, both bound to the router's commands.</summary>
    public async Task DeclareAsync(IChannel channel)
    {
        await QueueDeclaration.Quorum(Queue, Topology.CommandsExchange, Topology.RouterBinding(routerId)).DeclareAsync(channel, default);
        await QueueDeclaration.Quorum(WitnessQueue, Topology.CommandsExchange, Topology.RouterBinding(routerId)).DeclareAsync(channel, default);
    }

    public QueueConsumer Consumer(BrokerConnection connection) =>
        new(connection, Queue, new DedupHandler(this), log.For<QueueConsumer>());

    /// <summary><paramref name="count"/> commands from <paramref name="publishers"/> concurrent publishers on <paramref name="connection"/>.</summary>
    /// <param name="pause">Between two publishes of one publisher: keeps the load going while a fault is injected.</param>
    /// <param name="more">Asked once <paramref name="count"/> are out: true to keep publishing (until the faults are over).</param>
    public async Task PublishAsync(BrokerConnection connection, int count, int publishers, CancellationToken ct, TimeSpan? pause = null, Func<bool>? more = null)
    {
        await using var publisher = new ConfirmingPublisher(connection, log.For<ConfirmingPublisher>());
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, publishers).Select(_ => Task.Run(async () =>
        {
            while ((Interlocked.Increment(ref next) < count || more?.Invoke() == true) && !ct.IsCancellationRequested)
            {
                Interlocked.Increment(ref _published);
                var command = NewCommand();
                _inFlight[command.MessageId] = DateTime.UtcNow;
                try
                {
                    await new BusPublisher(publisher).SendAsync(command, ct);
                    Accepted.TryAdd(command.MessageId.ToString(), 0);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // not accepted: the caller was told, so nothing is owed for it
                    Refusals.Enqueue($"{command.MessageId}: {e.GetType().Name}: {e.Message}");
                }
                finally
                {
                    _inFlight.TryRemove(command.MessageId, out DateTime _);
                }
                if (pause is { } p) await Task.Delay(p, ct);
            }
        }, ct)));
    }

    public AgentCommand NewCommand() => new()
    {
        MessageId = Guid.NewGuid(),
        CommandId = Guid.NewGuid(),
        JobId = Guid.NewGuid(),
        Type = CommandTypes.RunRecipe,
        RouterId = routerId,
        VmId = "vm-load",
        CreatedAt = DateTimeOffset.UtcNow,
        Payload = AgentCommand.PayloadOf(new RunRecipe { Name = "noop" }),
    };

    /// <summary>Takes every message from the witness queue; returns the distinct message ids and the raw count.</summary>
    public async Task<(HashSet<string> Ids, int Messages)> DrainWitnessAsync(IChannel channel)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var messages = 0;
        while (await channel.BasicGetAsync(WitnessQueue, autoAck: true) is { } got)
        {
            messages++;
            ids.Add(got.BasicProperties.MessageId ?? "");
        }
        return (ids, messages);
    }

    /// <summary>Acts once per message id, however often it is delivered: the idempotent consumer.</summary>
    private sealed class DedupHandler(CommandLoad load) : IMessageHandler
    {
        public Task<Disposition> HandleAsync(IncomingMessage message, CancellationToken ct)
        {
            var command = message.Read<AgentCommand>();
            Interlocked.Increment(ref load._deliveryCount);
            if (load.Deliveries.AddOrUpdate(command.MessageId.ToString(), 1, (_, n) => n + 1) == 1)
                Interlocked.Increment(ref load._effects);
            return Task.FromResult(Disposition.Ack);
        }
    }
}
