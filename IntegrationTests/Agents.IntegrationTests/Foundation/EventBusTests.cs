using Agents.Contracts;
using Agents.Contracts.Commands;
using Agents.Contracts.Events;
using Agents.Testing;
using System.Text.Json;
using System.Text.Json.Nodes;
using Agents.Messaging.Internal;

namespace Agents.IntegrationTests.Foundation;

[Collection(BrokerCollection.Name)]
public sealed class EventBusTests(BrokerFixture broker)
{
    [Fact]
    public async Task an_event_published_with_confirms_reaches_a_subscriber_bound_on_action_events()
    {
        // an independent subscriber with only the observer's rights, bound as a CloudStack subscriber would bind
        await using var observer = await broker.ConnectAsync("observer", "observer");
        await using var channel = await observer.CreateChannelAsync();
        var queue = (await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true)).QueueName;
        await channel.QueueBindAsync(queue, Topology.EventsExchange, "*.ActionEvent.#");

        var completed = new AgentCommandCompleted
        {
            MessageId = Guid.NewGuid(),
            CommandId = Guid.NewGuid(),
            JobId = Guid.NewGuid(),
            CommandType = CommandTypes.ResetVmPassword,
            RouterId = "r-" + Guid.NewGuid().ToString("N")[..6],
            VmId = Guid.NewGuid().ToString(),
            Outcome = CommandOutcome.Success,
            DurationMs = 42,
            CompletedAt = DateTimeOffset.UtcNow,
        };
        await using var connection = Bus.Connection(broker, "producers", "producers-test");
        await using var publisher = Bus.Publisher(connection);
        await new BusPublisher(publisher).PublishAsync(completed.ToEvent());

        BasicGetResultHolder got = new();
        await Eventually.TrueAsync(async () => (got.Value = await channel.BasicGetAsync(queue, autoAck: true)) is not null, "the ActionEvent on the subscriber's queue");
        var delivery = got.Value!;
        Assert.Equal($"management-server.ActionEvent.VM-RESETPASSWORD.VirtualMachine.{completed.VmId}", delivery.RoutingKey);
        Assert.Equal(completed.MessageId.ToString(), delivery.BasicProperties.MessageId);
        Assert.Equal(2, (int)delivery.BasicProperties.DeliveryMode);
        var body = JsonNode.Parse(delivery.Body.Span)!.AsObject();
        Assert.Equal("Completed", (string?)body["status"]);
        Assert.Equal("VM.RESETPASSWORD", (string?)body["event"]);
        Assert.Equal(completed.VmId, (string?)body["entityuuid"]);
        Assert.Equal(completed.JobId.ToString(), (string?)body["jobId"]);
        Assert.Equal("Success", (string?)body["outcome"]);
        Assert.All(body, p => Assert.Equal(JsonValueKind.String, p.Value!.GetValueKind()));

        var readBack = AgentCommandCompleted.FromEvent(CloudStackEvent.Read(delivery.RoutingKey, delivery.Body.Span));
        Assert.Equal(completed, readBack);
        Assert.Null(await channel.BasicGetAsync(queue, autoAck: true));
    }

    private sealed class BasicGetResultHolder
    {
        public RabbitMQ.Client.BasicGetResult? Value { get; set; }
    }
}
