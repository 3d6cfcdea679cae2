using Agents.Testing;

namespace Agents.CaAuthority.Tests.Storage;

/// <summary>One private MariaDB server for this assembly's store suites; a database per suite.</summary>
[CollectionDefinition(MariaDbFixture.Collection)]
public sealed class MariaDbCollection : ICollectionFixture<MariaDbFixture>;
