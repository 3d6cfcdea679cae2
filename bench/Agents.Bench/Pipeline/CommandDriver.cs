using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Agents.Bench.Report;
using Agents.Contracts;
using Agents.Contracts.Commands;
using Agents.Contracts.Events;
using Agents.Messaging;
using Agents.Testing;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Microsoft.Extensions.DependencyInjection;

namespace Agents.Bench.Pipeline;

/// <summary>
/// The management side of the pipeline: publishes RunRecipe commands on agents.commands with the
/// messaging kit's confirming publisher (as the API does) and takes each outcome from
/// cloudstack-events; a command's time is from publish to its outcome event.
/// </summary>
public sealed class CommandDriver : IAsyncDisposable
{
    private readonly ServiceProvider _bus;
    private readonly ICommandSender _commands;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<string>> _waiting = new();
    private readonly ConcurrentDictionary<string, FanOut> _fanOuts = new();
    private IConnection? _events;
    private IChannel? _channel;
    private int _failures;

    public CommandDriver(string amqpUri)
    {
        _bus = new ServiceCollection().AddLogging()
            .AddRabbitMqMessaging(o => (o.Uri, o.ConnectionName, o.MaxOutstandingConfirms) = (amqpUri, "bench-api", 64))
            .BuildServiceProvider();
        _commands = _bus.GetRequiredService<ICommandSender>();
    }

    /// <summary>Outcomes other than Success seen so far (a benchmark reports them, it does not stop).</summary>
    public int Failures => Volatile.Read(ref _failures);

    public async Task StartAsync(string amqpUri)
    {
        _events = await new ConnectionFactory { Uri = new Uri(amqpUri), ClientProvidedName = "bench-outcomes" }.CreateConnectionAsync();
        _channel = await _events.CreateChannelAsync(new CreateChannelOptions(false, false, null, 16));
        await _channel.BasicQosAsync(0, 512, false);
        var queue = (await _channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true)).QueueName;
        await _channel.QueueBindAsync(queue, Topology.EventsExchange, $"*.{EventCategory.ActionEvent}.#");
        var consumer = new AsyncEventingBasicConsumer(_channel);
        consumer.ReceivedAsync += async (_, d) =>
        {
            var job = d.BasicProperties.CorrelationId ?? "";
            if (_waiting.TryRemove(job, out var done))
                done.TrySetResult(OutcomeOf(d.RoutingKey, d.Body.Span));
            else if (_fanOuts.TryGetValue(job, out var fanOut))
                fanOut.Seen(OutcomeOf(d.RoutingKey, d.Body.Span), this);
            await _channel.BasicAckAsync(d.DeliveryTag, false);
        };
        await _channel.BasicConsumeAsync(queue, false, consumer);
    }

    /// <summary>The first outcome other than Success, with its message, for the report.</summary>
    public string? FirstFailure { get; private set; }

    private static string OutcomeOf(string routingKey, ReadOnlySpan<byte> body) =>
        AgentCommandCompleted.FromEvent(CloudStackEvent.Read(routingKey, body)) is { } outcome
            ? outcome.Outcome == CommandOutcome.Success ? "Success" : $"{outcome.Outcome}: {outcome.Message}"
            : "?: not a command outcome";

    /// <summary>RunRecipe (the no-op recipe, a process on the agent) or ResetVmSshKey (a file in the agent's sandbox).</summary>
    public string CommandType { get; set; } = CommandTypes.RunRecipe;

    /// <summary>A payload per VM (e.g. a password sealed to that VM's certificate) instead of the command type's default.</summary>
    public Func<string, JsonElement>? PayloadFor { get; set; }

    private JsonElement Payload(string vmId) => PayloadFor is { } payloadFor ? payloadFor(vmId) : CommandType == CommandTypes.ResetVmSshKey
        ? AgentCommand.PayloadOf(new ResetVmSshKey { Username = "bench", PublicKeys = ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBenchKey bench@example"] })
        : AgentCommand.PayloadOf(new RunRecipe { Name = AgentFleet.Recipe, TimeoutSeconds = 60 });

    /// <summary>One command end to end: publish (confirmed), relayed, run, outcome event received.</summary>
    public async Task<double> RunOneAsync(string vmId)
    {
        var job = Guid.NewGuid();
        var done = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting[job.ToString()] = done;
        var watch = Stopwatch.StartNew();
        await _commands.SendAsync(AgentCommand.Create(CommandType, DevCredentials.RouterId, vmId, Payload(vmId)) with
        {
            JobId = job,
            ExecutionTimeoutSeconds = 120,
        });
        var outcome = await done.Task.WaitAsync(TimeSpan.FromMinutes(3));
        if (outcome != "Success")
        {
            Interlocked.Increment(ref _failures);
            FirstFailure ??= $"{CommandType} on {vmId}: {outcome}";
        }
        return watch.Elapsed.TotalMilliseconds;
    }

    /// <summary>Light load: one command in flight at a time, spread over <paramref name="agents"/> VMs.</summary>
    public async Task<List<double>> LatenciesAsync(int agents, int samples)
    {
        var latencies = new List<double>(samples);
        for (var i = 0; i < samples; i++) latencies.Add(await RunOneAsync(AgentFleet.VmId(i % agents)));
        return latencies;
    }

    /// <summary>Saturation: <paramref name="inFlight"/> commands always outstanding; commands per second.</summary>
    public Task<double> ThroughputAsync(int agents, int commands, int inFlight) =>
        ThroughputAsync([.. Enumerable.Range(0, agents).Select(AgentFleet.VmId)], commands, inFlight);

    /// <summary>Saturation over the given VMs, round-robin: <paramref name="inFlight"/> commands always outstanding; commands per second.</summary>
    public async Task<double> ThroughputAsync(IReadOnlyList<string> vmIds, int commands, int inFlight)
    {
        var next = -1;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, inFlight).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < commands) await RunOneAsync(vmIds[i % vmIds.Count]);
        }));
        return commands / watch.Elapsed.TotalSeconds;
    }

    /// <summary>One command to each of the first <paramref name="agents"/> VMs at once; seconds until the last outcome.</summary>
    public async Task<double> FanOutAsync(int agents)
    {
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, agents).Select(i => RunOneAsync(AgentFleet.VmId(i))));
        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// One job's command to each of the first <paramref name="agents"/> VMs as <see cref="AgentCommandBatch"/>
    /// messages of <paramref name="batchSize"/> targets (as the API's job engine sends a fan-out),
    /// all published at once; seconds until the last target's outcome.
    /// </summary>
    public async Task<double> BatchFanOutAsync(int agents, int batchSize)
    {
        var job = Guid.NewGuid();
        var fanOut = new FanOut(agents);
        _fanOuts[job.ToString()] = fanOut;
        var watch = Stopwatch.StartNew();
        var commands = Enumerable.Range(0, agents).Select(i => AgentFleet.VmId(i)).Select(vm => new AgentCommand
        {
            MessageId = Guid.NewGuid(),
            CommandId = Guid.NewGuid(),
            JobId = job,
            Type = CommandType,
            RouterId = DevCredentials.RouterId,
            VmId = vm,
            CreatedAt = DateTimeOffset.UtcNow,
            DeliveryTimeoutSeconds = 60,
            ExecutionTimeoutSeconds = 120,
            Payload = Payload(vm),
        });
        await Task.WhenAll(commands.Chunk(batchSize).Select(chunk => _commands.SendAsync(AgentCommandBatch.Of(chunk))));
        await fanOut.Done.WaitAsync(TimeSpan.FromMinutes(5));
        _fanOuts.TryRemove(job.ToString(), out _);
        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>The outcomes of one batched fan-out, counted down to the last.</summary>
    private sealed class FanOut(int targets)
    {
        private int _remaining = targets;
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public Task Done => _done.Task;

        public void Seen(string outcome, CommandDriver driver)
        {
            if (outcome != "Success")
            {
                Interlocked.Increment(ref driver._failures);
                driver.FirstFailure ??= $"{driver.CommandType} (batched): {outcome}";
            }
            if (Interlocked.Decrement(ref _remaining) == 0) _done.TrySetResult();
        }
    }

    public static (double P50, double P95, double P99) Percentiles(List<double> samples) =>
        (Latency.Percentile(samples, 50), Latency.Percentile(samples, 95), Latency.Percentile(samples, 99));

    public async ValueTask DisposeAsync()
    {
        if (_channel is not null) await _channel.DisposeAsync();
        if (_events is not null) await _events.DisposeAsync();
        await _bus.DisposeAsync();
    }
}
