using Agents.Testing;

namespace Agents.Bench.Pipeline;

/// <summary>
/// The real bridge service in its own process, as on a router: broker-config's router with its own
/// broker user, its certificate from the bench CA (so it starts without the CA service), health
/// checks off so only the relay, the listener and presence events run. Its console (a line per
/// relayed command) goes straight to a file, as a real router's journal would, not through this busy process.
/// </summary>
public static class BenchBridge
{
    public static async Task<BridgeProcess> StartAsync(RabbitMqNode node, TestPki pki, string directory)
    {
        var bridge = new BridgeProcess(pki, node.AmqpUri("bridge-" + DevCredentials.RouterId), directory, routerId: DevCredentials.RouterId, outputToLogFileOnly: true);
        await bridge.StartAsync(TimeSpan.FromSeconds(60));
        return bridge;
    }
}
