using System.Data.Common;
using System.Globalization;

namespace Agents.Storage;

/// <summary>Commands with <c>@name</c> parameters and typed reads that behave alike on both engines.</summary>
public static class DbExtensions
{
    public static DbCommand Command(this DbConnection connection, string sql, params (string Name, object? Value)[] args)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var command = connection.CreateCommand();
#pragma warning disable CA2100 // statements are constants of the stores; values are parameters
        command.CommandText = sql;
#pragma warning restore CA2100
        foreach (var (name, value) in args)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    /// <summary>A command in <paramref name="transaction"/>.</summary>
    public static DbCommand Command(this DbTransaction transaction, string sql, params (string Name, object? Value)[] args)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var command = transaction.Connection!.Command(sql, args);
        command.Transaction = transaction;
        return command;
    }

    public static async Task<int> ExecuteAsync(this DbTransaction transaction, string sql, params (string Name, object? Value)[] args)
    {
        await using var command = transaction.Command(sql, args);
        return await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    public static async Task<object?> ScalarAsync(this DbTransaction transaction, string sql, params (string Name, object? Value)[] args)
    {
        await using var command = transaction.Command(sql, args);
        var value = await command.ExecuteScalarAsync().ConfigureAwait(false);
        return value is DBNull ? null : value;
    }

    public static async Task<List<T>> QueryAsync<T>(this DbTransaction transaction, string sql, Func<DbDataReader, T> map, params (string Name, object? Value)[] args)
    {
        await using var command = transaction.Command(sql, args);
        return await command.ReadAllAsync(map).ConfigureAwait(false);
    }

    public static async Task<List<T>> ReadAllAsync<T>(this DbCommand command, Func<DbDataReader, T> map)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(map);
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        var rows = new List<T>();
        while (await reader.ReadAsync().ConfigureAwait(false)) rows.Add(map(reader));
        return rows;
    }

    public static string? NullableString(this DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    /// <summary>An integer column as int, whatever width the engine returns it in.</summary>
    public static int Int(this DbDataReader reader, int ordinal) => Convert.ToInt32(reader.GetValue(ordinal), CultureInfo.InvariantCulture);

    public static long Long(this DbDataReader reader, int ordinal) => Convert.ToInt64(reader.GetValue(ordinal), CultureInfo.InvariantCulture);

    public static int? NullableInt(this DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.Int(ordinal);

    public static long? NullableLong(this DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.Long(ordinal);

    public static byte[] Bytes(this DbDataReader reader, int ordinal) => (byte[])reader.GetValue(ordinal);

    /// <summary>A time stored by <see cref="Iso"/>.</summary>
    public static DateTimeOffset Time(this DbDataReader reader, int ordinal) =>
        DateTimeOffset.Parse(reader.GetString(ordinal), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    public static DateTimeOffset? NullableTime(this DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.Time(ordinal);

    /// <summary>ISO-8601 in UTC with a fixed width, so comparing the text compares the times.</summary>
    public static string Iso(this DateTimeOffset at) => at.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);
}
