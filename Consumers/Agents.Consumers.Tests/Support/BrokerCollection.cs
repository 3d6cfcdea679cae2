using Agents.Testing;

namespace Agents.Consumers.Tests.Support;

[CollectionDefinition(Name)]
public sealed class BrokerCollection : ICollectionFixture<BrokerFixture>
{
    public const string Name = "consumers-broker";
}
