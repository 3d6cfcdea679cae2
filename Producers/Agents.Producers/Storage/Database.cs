using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Agents.Producers.Storage;

/// <summary>The service's SQLite file: a connection per operation (pooled), WAL, busy waits instead of errors.</summary>
public sealed class Database(IOptions<ProducersOptions> options)
{
    private readonly string _connectionString = new SqliteConnectionStringBuilder
    {
        DataSource = options.Value.DatabasePath,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Cache = SqliteCacheMode.Private,
        DefaultTimeout = 30,
        Pooling = true,
    }.ToString();

    public string Path => options.Value.DatabasePath;

    public async Task<SqliteConnection> OpenAsync(CancellationToken ct = default)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(ct).ConfigureAwait(false);
        using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 30000;";
        await pragma.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        return connection;
    }

    public async Task<int> ExecuteAsync(string sql, params (string Name, object? Value)[] args)
    {
        await using var connection = await OpenAsync().ConfigureAwait(false);
        await using var command = connection.Command(sql, args);
        return await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    public async Task<List<T>> QueryAsync<T>(string sql, Func<SqliteDataReader, T> map, params (string Name, object? Value)[] args)
    {
        await using var connection = await OpenAsync().ConfigureAwait(false);
        await using var command = connection.Command(sql, args);
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        var rows = new List<T>();
        while (await reader.ReadAsync().ConfigureAwait(false)) rows.Add(map(reader));
        return rows;
    }

    public async Task<T?> SingleAsync<T>(string sql, Func<SqliteDataReader, T> map, params (string Name, object? Value)[] args) where T : class =>
        (await QueryAsync(sql, map, args).ConfigureAwait(false)).FirstOrDefault();
}
