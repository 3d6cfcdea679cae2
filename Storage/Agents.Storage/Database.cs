using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using MySqlConnector;

namespace Agents.Storage;

/// <summary>
/// One store's database: a pooled connection per operation, prepared the same way everywhere
/// (<see cref="SqlDialect.PrepareConnection"/>). Nothing here lives only in this process: every
/// state a store keeps is in the database, so several processes may share it.
/// </summary>
public sealed class Database
{
    private readonly string _connectionString;
    private readonly string _prepare;
    private readonly SemaphoreSlim? _writer;
    private volatile bool _folderMade;

    /// <summary>
    /// SQLite lets one writer in at a time; the others wait in its busy handler, which sleeps a blocked
    /// thread in steps of 1 to 100 ms and looks again. Writers of this process take turns here instead
    /// (one queue per file, awaited without a thread each, and the next one goes as the last commits);
    /// the busy handler still serves writers of other processes.
    /// </summary>
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> SqliteWriters = new(StringComparer.Ordinal);

    private Database(SqlDialect dialect, string connectionString, string name, string? sqlitePath, int busyTimeoutSeconds)
    {
        Dialect = dialect;
        _connectionString = connectionString;
        Name = name;
        SqlitePath = sqlitePath;
        BusyTimeoutSeconds = busyTimeoutSeconds;
        _prepare = dialect.PrepareConnection(busyTimeoutSeconds);
        _writer = sqlitePath is null ? null : SqliteWriters.GetOrAdd(Path.GetFullPath(sqlitePath), _ => new SemaphoreSlim(1, 1));
    }

    /// <summary>A SQLite file (created with its folder when missing).</summary>
    public static Database Sqlite(string path, int busyTimeoutSeconds = 30)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            DefaultTimeout = busyTimeoutSeconds,
            Pooling = true,
        }.ToString();
        return new Database(SqlDialect.Sqlite, connectionString, path, path, busyTimeoutSeconds);
    }

    /// <summary>A MariaDB/MySQL database; the connection string names it.</summary>
    public static Database MySql(string connectionString, int busyTimeoutSeconds = 30)
    {
        var builder = new MySqlConnectionStringBuilder(connectionString)
        {
            // a statement's count is the rows it matched, as in SQLite
            UseAffectedRows = false,
            DefaultCommandTimeout = (uint)Math.Max(busyTimeoutSeconds * 2, 30),
        };
        return new Database(SqlDialect.MySql, builder.ConnectionString, $"{builder.Server}:{builder.Port}/{builder.Database}", null, busyTimeoutSeconds);
    }

    public SqlDialect Dialect { get; }

    public StorageProvider Provider => Dialect.Provider;

    /// <summary>For logs and errors: the file, or server:port/database (never the password).</summary>
    public string Name { get; }

    /// <summary>The file of a SQLite database, else null.</summary>
    public string? SqlitePath { get; }

    public int BusyTimeoutSeconds { get; }

    internal string ConnectionString => _connectionString;

    public async Task<DbConnection> OpenAsync(CancellationToken ct = default)
    {
        if (!_folderMade && SqlitePath is not null)
        {
            // the file is created on first open; its folder must be there
            if (Path.GetDirectoryName(Path.GetFullPath(SqlitePath)) is { Length: > 0 } directory) Directory.CreateDirectory(directory);
            _folderMade = true;
        }
        DbConnection connection = Provider == StorageProvider.Sqlite ? new SqliteConnection(_connectionString) : new MySqlConnection(_connectionString);
        try
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
            await using var prepare = connection.Command(_prepare);
            await prepare.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async Task<int> ExecuteAsync(string sql, params (string Name, object? Value)[] args)
    {
        using var turn = await WriterTurnAsync(CancellationToken.None).ConfigureAwait(false);
        await using var connection = await OpenAsync().ConfigureAwait(false);
        await using var command = connection.Command(sql, args);
        return await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    public async Task<object?> ScalarAsync(string sql, params (string Name, object? Value)[] args)
    {
        await using var connection = await OpenAsync().ConfigureAwait(false);
        await using var command = connection.Command(sql, args);
        var value = await command.ExecuteScalarAsync().ConfigureAwait(false);
        return value is DBNull ? null : value;
    }

    public async Task<List<T>> QueryAsync<T>(string sql, Func<DbDataReader, T> map, params (string Name, object? Value)[] args)
    {
        await using var connection = await OpenAsync().ConfigureAwait(false);
        await using var command = connection.Command(sql, args);
        return await command.ReadAllAsync(map).ConfigureAwait(false);
    }

    public async Task<T?> SingleAsync<T>(string sql, Func<DbDataReader, T> map, params (string Name, object? Value)[] args) where T : class =>
        (await QueryAsync(sql, map, args).ConfigureAwait(false)).FirstOrDefault();

    /// <summary>Runs <paramref name="work"/> in one transaction, committed when it returns, rolled back when it throws.</summary>
    public async Task<T> InTransactionAsync<T>(Func<DbTransaction, Task<T>> work, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        using var turn = await WriterTurnAsync(ct).ConfigureAwait(false);
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.Unspecified, ct).ConfigureAwait(false);
        var result = await work(transaction).ConfigureAwait(false);
        await transaction.CommitAsync(ct).ConfigureAwait(false);
        return result;
    }

    public Task InTransactionAsync(Func<DbTransaction, Task> work, CancellationToken ct = default) =>
        InTransactionAsync(async tx => { await work(tx).ConfigureAwait(false); return true; }, ct);

    /// <summary>
    /// This process's turn to write a SQLite file (nothing to wait for on MariaDB, whose rows lock one by
    /// one). A turn not had within the busy timeout fails as SQLite's own would (SQLITE_BUSY): a stuck
    /// writer shows as an error, not as every writer after it hanging.
    /// </summary>
    private async Task<WriterTurn> WriterTurnAsync(CancellationToken ct)
    {
        if (_writer is null) return default;
        if (!await _writer.WaitAsync(TimeSpan.FromSeconds(BusyTimeoutSeconds), ct).ConfigureAwait(false))
            throw new SqliteException($"database is locked: another writer of this process held {Name} for over {BusyTimeoutSeconds} s", SqliteBusy);
        return new WriterTurn(_writer);
    }

    private const int SqliteBusy = 5;

    private readonly struct WriterTurn(SemaphoreSlim? writer) : IDisposable
    {
        public void Dispose() => writer?.Release();
    }
}
