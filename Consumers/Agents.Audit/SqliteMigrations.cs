using Microsoft.Data.Sqlite;

namespace Agents.Audit;

/// <summary>Applies a list of schema migrations in order, once each: <c>PRAGMA user_version</c> counts those applied. Also turns WAL on.</summary>
public static class SqliteMigrations
{
    public static void Apply(SqliteConnection connection, IReadOnlyList<string> migrations, string database)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(migrations);
        using (var wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            wal.ExecuteNonQuery();
        }
        using var transaction = connection.BeginTransaction();
        long version;
        using (var read = connection.CreateCommand())
        {
            read.Transaction = transaction;
            read.CommandText = "PRAGMA user_version;";
            version = (long)read.ExecuteScalar()!;
        }
        if (version > migrations.Count)
            throw new InvalidOperationException($"{database} database schema version {version} is newer than this build knows ({migrations.Count})");
        for (var i = (int)version; i < migrations.Count; i++)
        {
            using var step = connection.CreateCommand();
            step.Transaction = transaction;
            step.CommandText = migrations[i] + $"\nPRAGMA user_version = {i + 1};";
            step.ExecuteNonQuery();
        }
        transaction.Commit();
    }
}
