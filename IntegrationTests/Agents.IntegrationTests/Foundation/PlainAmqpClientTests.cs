using System.Diagnostics;
using Agents.Contracts;
using Agents.Contracts.Commands;
using Agents.Contracts.Events;
using Agents.Messaging.Publishing;
using Agents.Testing;
using Newtonsoft.Json.Linq;
using RabbitMQ.Client;

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
        var watcher = StartWatcher(broker.AmqpUri("observer"), "*.ActionEvent.#", 1);
        await WaitForReadyAsync(watcher);

        var completed = new AgentCommandCompleted
        {
            MessageId = Guid.NewGuid(), CommandId = Guid.NewGuid(), JobId = Guid.NewGuid(), CommandType = CommandTypes.RunRecipe,
            RouterId = "r1", VmId = Guid.NewGuid().ToString(), Outcome = CommandOutcome.Rejected, Message = "recipe not allowed by policy",
            CompletedAt = DateTimeOffset.UtcNow,
        };
        await using var connection = Bus.Connection(broker, "producers");
        await using var publisher = Bus.Publisher(connection);
        await publisher.PublishEventAsync(completed.ToEvent());

        var line = await watcher.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await watcher.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, watcher.ExitCode);
        var seen = JObject.Parse(line!);
        Assert.Equal(completed.ToEvent().RoutingKey, (string?)seen["routingKey"]);
        Assert.Equal("Rejected", (string?)seen["body"]!["outcome"]);
        Assert.Equal(completed.CommandId.ToString(), (string?)seen["body"]!["commandId"]);
    }

    private static Process StartWatcher(string url, string binding, int count)
    {
        var info = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { Example("watch_events.py"), url, binding, count.ToString(System.Globalization.CultureInfo.InvariantCulture), "30" })
            info.ArgumentList.Add(arg);
        return Process.Start(info) ?? throw new InvalidOperationException("could not start python3");
    }

    private static async Task WaitForReadyAsync(Process watcher)
    {
        var first = await watcher.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        if (first != "ready")
            Assert.Fail($"watch_events.py did not start: {first} {await watcher.StandardError.ReadToEndAsync()}");
    }
}
