using Agents.Contracts;
using Agents.Testing;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Agents.IntegrationTests.Foundation;

[Collection(BrokerCollection.Name)]
public sealed class BrokerConfigTests(BrokerFixture broker)
{
    private const string DemoRouter = "f3a1c2d4-5b6e-4f70-8a9b-0c1d2e3f4a5b";

    [Fact]
    public async Task definitions_load_into_a_fresh_node_and_the_broker_reports_the_policies_in_force()
    {
        var policies = await broker.Node.CtlAsync("list_policies", "--quiet", "--no-table-headers");
        Assert.Contains("agents-router-commands", policies);
        Assert.Contains("agents-services", policies);

        var queues = await broker.Node.CtlAsync("list_queues", "--quiet", "--no-table-headers", "name", "type", "policy");
        var routerQueue = Assert.Single(queues.Split('\n'), line => line.StartsWith(Topology.RouterQueue(DemoRouter) + "\t", StringComparison.Ordinal));
        Assert.Equal($"{Topology.RouterQueue(DemoRouter)}\tquorum\tagents-router-commands", routerQueue.Trim());

        // the broker's own view of what is in force on the queue (management API)
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("admin:" + DevCredentials.PasswordOf("admin"))));
        System.Text.Json.Nodes.JsonNode? effective = null;
        // the management database fills in queue details a few seconds after start
        await Eventually.TrueAsync(async () =>
        {
            var json = await http.GetStringAsync($"http://127.0.0.1:{broker.Node.Options.ManagementPort}/api/queues/%2F/{Topology.RouterQueue(DemoRouter)}");
            effective = System.Text.Json.Nodes.JsonNode.Parse(json)?["effective_policy_definition"];
            return effective is System.Text.Json.Nodes.JsonObject { Count: > 0 };
        }, "effective_policy_definition of the router queue in the management API");
        Assert.Equal(5, (int)effective!["delivery-limit"]!);
        Assert.Equal("agents.dead", (string?)effective!["dead-letter-exchange"]);
        Assert.Equal("at-least-once", (string?)effective!["dead-letter-strategy"]);
        Assert.Equal("reject-publish", (string?)effective!["overflow"]);
        Assert.Equal(86_400_000, (int)effective!["message-ttl"]!);

        var exchanges = await broker.Node.CtlAsync("list_exchanges", "--quiet", "--no-table-headers", "name", "type", "durable", "arguments");
        Assert.Contains(exchanges.Split('\n'), l => l.StartsWith("cloudstack-events\ttopic\ttrue", StringComparison.Ordinal));
        Assert.Contains(exchanges.Split('\n'), l => l.StartsWith("agents.commands\ttopic\ttrue", StringComparison.Ordinal) && l.Contains("agents.unroutable", StringComparison.Ordinal));
    }

    [Fact]
    public async Task a_bridge_may_read_its_own_queue_and_not_another_routers()
    {
        var user = $"bridge-{DemoRouter}";
        await using var connection = await broker.ConnectAsync(user, "bridge-permission-test");
        await using (var own = await connection.CreateChannelAsync())
        {
            var ok = await own.QueueDeclarePassiveAsync(Topology.RouterQueue(DemoRouter));
            Assert.Equal(Topology.RouterQueue(DemoRouter), ok.QueueName);
            Assert.NotNull(await own.BasicConsumeAsync(Topology.RouterQueue(DemoRouter), false, new RabbitMQ.Client.Events.AsyncEventingBasicConsumer(own)));
        }

        await using var admin = await broker.ConnectAsync();
        await using var adminChannel = await admin.CreateChannelAsync();
        var other = Topology.RouterQueue("other-" + Guid.NewGuid().ToString("N")[..8]);
        await adminChannel.QueueDeclareAsync(other, true, false, false, new Dictionary<string, object?> { ["x-queue-type"] = "quorum" });

        await using var foreign = await connection.CreateChannelAsync();
        var refused = await Assert.ThrowsAsync<OperationInterruptedException>(() =>
            foreign.BasicConsumeAsync(other, false, new RabbitMQ.Client.Events.AsyncEventingBasicConsumer(foreign)));
        Assert.Equal((ushort)403, refused.ShutdownReason!.ReplyCode);
        await adminChannel.QueueDeleteAsync(other);
    }
}
