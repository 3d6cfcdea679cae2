using Agents.Messaging;
using Agents.Messaging.Rpc;
using Microsoft.Extensions.Logging.Abstractions;

namespace Agents.CaAuthority.Tests.Support;

public static class TestRpc
{
    /// <summary>An RPC client on its own connection; both are added to <paramref name="owned"/> for disposal.</summary>
    public static RpcClient Connect(string amqpUri, string name, ICollection<IAsyncDisposable> owned)
    {
        var connection = new BrokerConnection(Microsoft.Extensions.Options.Options.Create(new RabbitMqOptions { Uri = amqpUri, ConnectionName = name }),
            NullLogger<BrokerConnection>.Instance);
        var rpc = new RpcClient(connection, NullLogger<RpcClient>.Instance);
        owned.Add(rpc);
        owned.Add(connection);
        return rpc;
    }
}
