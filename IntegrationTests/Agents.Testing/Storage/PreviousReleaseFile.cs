using Microsoft.Data.Sqlite;

namespace Agents.Testing;

/// <summary>
/// A SQLite file as the previous release left it: made with that release's own statements (its
/// schema and its version mark, PRAGMA user_version or a schema_version table), with rows in it.
/// The store tests open it with the current code: nothing may be lost.
/// </summary>
public static class PreviousReleaseFile
{
    public static async Task CreateAsync(string path, string sql)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode = WAL;\n" + sql;
            await command.ExecuteNonQueryAsync();
        }
    }
}
