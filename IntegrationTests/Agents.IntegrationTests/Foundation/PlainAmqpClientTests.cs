using Agents.Contracts;
using Agents.Contracts.Commands;
using Agents.Contracts.Events;
using Agents.Testing;
using RabbitMQ.Client;
using Agents.Messaging.Internal;

namespace Agents.IntegrationTests.Foundation;

/// <summary>The examples in docs/examples, run with Debian's python3-pika: the contract holds for a client that is not ours.</summary>
[Collection(BrokerCollection.Name)]
public sealed class PlainAmqpClientTests(BrokerFixture broker)
{
    private const string Python = "/usr/bin/python3";
    private static string Example(string name) => Path.Combine(RepositoryPaths.Root, "docs", "examples", name);

    [Fact]
    public async Task a_command_published_with_pika_as_documented_reads_as_our_contract()
    {
        await using var admin = await broker.ConnectAsync();
        await using var channel = await admin.CreateChannelAsync();
        var router = "pika-" + Guid.NewGuid().ToString("N")[..8];
        var queue = Topology.RouterQueue(router);
        await channel.QueueDeclareAsync(queue, true, false, false, new Dictionary<string, object?> { ["x-queue-type"] = "quorum" });
        await channel.QueueBindAsync(queue, Topology.CommandsExchange, Topology.RouterBinding(router));

        var vm = Guid.NewGuid().ToString();
        var result = await ProcessRunner.RunAsync(Python,
            [Example("publish_command.py"), broker.AmqpUri("producers"), router, vm, "install-monitoring", "SERVER=mon.example.org", "QUOTE=it's; rm -rf /"]);
        Assert.True(result.ExitCode == 0, $"publish_command.py failed: {result.Output}");

        var delivery = await channel.BasicGetAsync(queue, autoAck: true);
        Assert.NotNull(delivery);
        var command = AgentJson.Deserialize<AgentCommand>(delivery.Body.Span);
        Assert.Equal(result.Stdout.Trim(), command.CommandId.ToString());
        Assert.Equal(CommandTypes.RunRecipe, command.Type);
        Assert.Equal(vm, command.VmId);
        var recipe = command.PayloadAs<RunRecipe>();
        Assert.Equal("install-monitoring", recipe.Name);
        Assert.Equal("it's; rm -rf /", recipe.Parameters["QUOTE"]);
        Assert.Equal(command.JobId.ToString(), delivery.BasicProperties.CorrelationId);
        await channel.QueueDeleteAsync(queue);
    }

    [Fact]
    public async Task a_pika_subscriber_bound_as_documented_reads_our_action_events()
    {
        await using var watcher = await PikaWatcher.StartAsync(broker.AmqpUri("observer"), "*.ActionEvent.#", 1, 30);

        var completed = new AgentCommandCompleted
        {
            MessageId = Guid.NewGuid(), CommandId = Guid.NewGuid(), JobId = Guid.NewGuid(), CommandType = CommandTypes.RunRecipe,
            RouterId = "r1", VmId = Guid.NewGuid().ToString(), Outcome = CommandOutcome.Rejected, Message = "recipe not allowed by policy",
            CompletedAt = DateTimeOffset.UtcNow,
        };
        await using var connection = Bus.Connection(broker, "producers");
        await using var publisher = Bus.Publisher(connection);
        await new BusPublisher(publisher).PublishAsync(completed.ToEvent());

        var seen = Assert.Single(await PikaWatcher.EventsAsync(watcher, 60));
        Assert.Equal(completed.ToEvent().RoutingKey, seen.GetProperty("routingKey").GetString());
        Assert.Equal("Rejected", seen.GetProperty("body").GetProperty("outcome").GetString());
        Assert.Equal(completed.CommandId.ToString(), seen.GetProperty("body").GetProperty("commandId").GetString());
    }
}
