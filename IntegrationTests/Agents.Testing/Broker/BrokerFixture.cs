using Xunit;
using RabbitMQ.Client;

namespace Agents.Testing;

/// <summary>
/// One private RabbitMQ node shared by a test collection. Tests isolate themselves with
/// unique queue names. If the node cannot start, every test of the collection fails with
/// the broker's own log tail.
/// </summary>
public sealed class BrokerFixture : IAsyncLifetime
{
    public RabbitMqNode Node { get; } = new(new RabbitMqNodeOptions());

    public string AmqpUri(string user = "admin") => Node.AmqpUri(user);

    public Task InitializeAsync() => Node.StartAsync();

    public Task DisposeAsync() => Node.StopAsync();

    /// <summary>A raw RabbitMQ.Client connection, for tests that act as an independent client.</summary>
    public Task<IConnection> ConnectAsync(string user = "admin", string name = "test") =>
        new ConnectionFactory { Uri = new Uri(AmqpUri(user)), ClientProvidedName = name }.CreateConnectionAsync();

    /// <summary>The broker's own count of messages in a queue (rabbitmqctl, not the client).</summary>
    public async Task<long> MessagesInAsync(string queue)
    {
        var output = await Node.CtlAsync("list_queues", "--quiet", "--no-table-headers", "name", "messages");
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split('\t');
            if (parts.Length == 2 && parts[0] == queue) return long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        throw new InvalidOperationException($"queue {queue} not found on {Node.NodeName}");
    }
}
