using Agents.Storage;

namespace Agents.Testing;

/// <summary>
/// An engine the store suites run on: each suite is written once against a <see cref="Database"/>
/// and runs on every engine (a class per engine: <see cref="SqliteEngine"/>, <see cref="MariaDbFixture"/>).
/// A suite's database lives as long as its test class, so tests isolate themselves with unique ids.
/// </summary>
public abstract class StoreEngine
{
    public abstract StorageProvider Provider { get; }

    /// <summary>The database named <paramref name="name"/>: empty when first asked for, the same one after.</summary>
    public abstract Task<Database> DatabaseAsync(string name);
}
