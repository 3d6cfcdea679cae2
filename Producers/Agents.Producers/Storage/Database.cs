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

public static class SqliteExtensions
{
    public static SqliteCommand Command(this SqliteConnection connection, string sql, params (string Name, object? Value)[] args)
    {
        var command = connection.CreateCommand();
#pragma warning disable CA2100 // statements are constants of this assembly; values are parameters
        command.CommandText = sql;
#pragma warning restore CA2100
        foreach (var (name, value) in args) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    public static string? NullableString(this SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static int? NullableInt(this SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt32(ordinal);

    public static DateTimeOffset Time(this SqliteDataReader reader, int ordinal) =>
        DateTimeOffset.Parse(reader.GetString(ordinal), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind);

    public static DateTimeOffset? NullableTime(this SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.Time(ordinal);

    public static string Iso(this DateTimeOffset at) => at.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture);
}
