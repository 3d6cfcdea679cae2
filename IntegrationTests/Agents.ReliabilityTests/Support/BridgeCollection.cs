using Agents.Testing;

namespace Agents.ReliabilityTests.Support;

/// <summary>One private broker for the tests that run the real bridge process; each test uses its own router id.</summary>
[CollectionDefinition(Name)]
public sealed class BridgeCollection : ICollectionFixture<BrokerFixture>
{
    public const string Name = "bridge-process";
}
