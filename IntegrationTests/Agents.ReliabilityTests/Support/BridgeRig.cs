using Agents.Contracts.Commands;
using Agents.Testing;
using Agents.VmAgent.Core.Policy;
using Agents.Messaging.Internal;

namespace Agents.ReliabilityTests.Support;

/// <summary>The real bridge process, an agent of the test PKI that can connect to it, and a publisher: one router's world.</summary>
internal sealed class BridgeRig : IAsyncDisposable
{
    private readonly LogSink _log = new();
    private readonly Agents.Messaging.Internal.BrokerConnection _connection;

    public BridgeRig(BrokerFixture broker, IReadOnlyDictionary<string, string>? settings = null)
    {
        Broker = broker;
        Bridge = new BridgeProcess(Pki, broker.AmqpUri(), Temp.Path, settings);
        _connection = CommandLoad.Connection(broker.AmqpUri(), "reliability-producer", _log);
        Publisher = new ConfirmingPublisher(_connection, _log.For<ConfirmingPublisher>());
    }

    public BrokerFixture Broker { get; }
    public TempDirectory Temp { get; } = new();
    public TestPki Pki { get; } = new();
    public BridgeProcess Bridge { get; }
    public ConfirmingPublisher Publisher { get; }
    public string RouterId => Bridge.RouterId;

    /// <summary>An agent already enrolled for <paramref name="vmId"/>, connecting to the bridge (or to <paramref name="port"/>, a relay in front of it).</summary>
    public TestAgent Agent(string vmId, AgentPolicy? policy = null, int? port = null)
    {
        var dir = Path.Combine(Temp.Path, "agent-" + vmId);
        if (!Directory.Exists(dir)) Pki.EnrollAgent(Path.Combine(Temp.Sub("agent-" + vmId), "data"), vmId);
        return new TestAgent(dir, Pki.WriteRootPem(Temp.Path), ["127.0.0.1"], port ?? Bridge.Port, token: null, policy);
    }

    public AgentCommand Command(string vmId, string type, object payload, int deliveryTimeoutSeconds = 60, int executionTimeoutSeconds = 60) =>
        AgentCommand.Create(type, RouterId, vmId, payload) with { DeliveryTimeoutSeconds = deliveryTimeoutSeconds, ExecutionTimeoutSeconds = executionTimeoutSeconds };

    public static object SshKey(string user = "alice") => new ResetVmSshKey
    {
        Username = user,
        PublicKeys = ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIReliabilityTestKey reliability@test"],
    };

    public async ValueTask DisposeAsync()
    {
        await Bridge.DisposeAsync();
        await Publisher.DisposeAsync();
        await _connection.DisposeAsync();
        Pki.Dispose();
        Temp.Dispose();
    }
}
