using Agents.Testing;

namespace Agents.RouterBridge.Tests.Support;

/// <summary>One private broker for the bridge tests that need one; they isolate themselves by router id.</summary>
[CollectionDefinition(Name)]
public sealed class BrokerCollection : ICollectionFixture<BrokerFixture>
{
    public const string Name = "bridge broker";
}
