using Agents.Testing;

namespace Agents.Storage.Tests;

/// <summary>One private MariaDB server for this assembly's suites; a database per suite.</summary>
[CollectionDefinition(MariaDbFixture.Collection)]
public sealed class MariaDbCollection : ICollectionFixture<MariaDbFixture>;
