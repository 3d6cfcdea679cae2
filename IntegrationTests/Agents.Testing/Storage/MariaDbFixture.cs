using System.Collections.Concurrent;
using Agents.Storage;
using Xunit;

namespace Agents.Testing;

/// <summary>
/// One private MariaDB server for a test assembly (its store suites share the collection
/// <see cref="Collection"/>), a database per suite. If the server cannot start, every test of the
/// collection fails with the server's own log.
/// </summary>
public sealed class MariaDbFixture : StoreEngine, IAsyncLifetime
{
    /// <summary>Each test assembly declares it: <c>[CollectionDefinition(MariaDbFixture.Collection)] class … : ICollectionFixture&lt;MariaDbFixture&gt;</c>.</summary>
    public const string Collection = "MariaDB";

    private readonly ConcurrentDictionary<string, Lazy<Task<Database>>> _databases = new();

    public MariaDbNode Node { get; } = new();

    public override StorageProvider Provider => StorageProvider.MySql;

    public Task InitializeAsync() => Node.StartAsync();

    public Task DisposeAsync() => Node.StopAsync();

    public override Task<Database> DatabaseAsync(string name) =>
        _databases.GetOrAdd(name, n => new Lazy<Task<Database>>(async () =>
            Database.MySql(await Node.CreateDatabaseAsync(Identifier(n)).ConfigureAwait(false)))).Value;

    private static string Identifier(string name) =>
        "t_" + new string([.. name.ToLowerInvariant().Where(c => char.IsAsciiLetterOrDigit(c) || c == '_')]);
}
