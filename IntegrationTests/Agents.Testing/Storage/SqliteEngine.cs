using System.Collections.Concurrent;
using Agents.Storage;
using Microsoft.Data.Sqlite;

namespace Agents.Testing;

/// <summary>SQLite files in a temp folder of their own; a class fixture, deleted with the class.</summary>
public sealed class SqliteEngine : StoreEngine, IDisposable
{
    private readonly string _directory = System.IO.Directory.CreateTempSubdirectory("agents-store-").FullName;
    private readonly ConcurrentDictionary<string, Database> _databases = new();

    public override StorageProvider Provider => StorageProvider.Sqlite;

    public string Directory => _directory;

    public override Task<Database> DatabaseAsync(string name) =>
        Task.FromResult(_databases.GetOrAdd(name, n => Database.Sqlite(Path.Combine(_directory, n + ".db"))));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { System.IO.Directory.Delete(_directory, recursive: true); }
        catch (IOException) { /* a file still open: a temp folder is harmless */ }
    }
}
