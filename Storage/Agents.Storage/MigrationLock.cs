using System.Data.Common;
using System.Globalization;

namespace Agents.Storage;

/// <summary>
/// Held while one store migrates, so two processes starting at once (two API instances on one
/// MariaDB, the API and the consumers on one audit file) never apply the same step twice.
/// MariaDB: a named lock (GET_LOCK) on a connection of its own. SQLite: an exclusive lock file
/// beside the database.
/// </summary>
internal sealed class MigrationLock : IAsyncDisposable
{
    private readonly DbConnection? _connection;
    private readonly FileStream? _file;
    private readonly string _name;
    private readonly string? _release;

    private MigrationLock(DbConnection? connection, FileStream? file, string name, string? release)
    {
        _connection = connection;
        _file = file;
        _name = name;
        _release = release;
    }

    public static async Task<MigrationLock> TakeAsync(Database database, StoreSchema schema, TimeSpan timeout, CancellationToken ct)
    {
        var name = "agents.migrate." + schema.Name;
        if (database.Dialect.TakeNamedLock is { } take)
        {
            var connection = await database.OpenAsync(ct).ConfigureAwait(false);
            await using var command = connection.Command(take, ("@name", name), ("@seconds", (int)timeout.TotalSeconds));
            if (Convert.ToInt64(await command.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture) != 1)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                throw new TimeoutException($"another process has been migrating the {schema.Name} tables of {database.Name} for over {timeout.TotalSeconds:0} s");
            }
            return new MigrationLock(connection, null, name, database.Dialect.ReleaseNamedLock);
        }
        var path = Path.GetFullPath(database.SqlitePath!) + ".migrating";
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                return new MigrationLock(null, new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None), name, null);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, ct).ConfigureAwait(false);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await using (var release = _connection.Command(_release!, ("@name", _name)))
                await release.ExecuteScalarAsync().ConfigureAwait(false);
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
        if (_file is not null) await _file.DisposeAsync().ConfigureAwait(false);
    }
}
