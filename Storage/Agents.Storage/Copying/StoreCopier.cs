using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Agents.Storage.Copying;

/// <summary>
/// Copies one store from its SQLite file onto MariaDB/MySQL, whatever its tables: the target gets the
/// store's schema from its own migrations, then every table of the source is copied in batches, one
/// transaction per table (a failed table leaves nothing half-copied). A target that already has rows
/// is refused unless <see cref="StoreCopyOptions.Force"/> (which replaces them). Secrets sealed in the
/// rows are copied as they are: the service on the target needs the same master key.
/// </summary>
public static partial class StoreCopier
{
    public static async Task<IReadOnlyList<TableCopied>> CopyAsync(Database source, Database target, StoreSchema schema, StoreCopyOptions options,
        Action<TableCopied>? copied = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(options);
        if (source.Provider != StorageProvider.Sqlite) throw new StoreCopyException("the source must be a SQLite file (sqlite:<path>)");
        if (target.Provider != StorageProvider.MySql) throw new StoreCopyException("the target must be a MariaDB/MySQL database");
        if (!File.Exists(source.SqlitePath)) throw new StoreCopyException($"the source {source.Name} does not exist");

        var tables = await SourceTablesAsync(source, schema, ct).ConfigureAwait(false);
        var sourceVersion = await VersionAsync(source, schema, ct).ConfigureAwait(false)
            ?? throw new StoreCopyException($"{source.Name} has no {schema.VersionTable} table: it is not a {schema.Name} store of this release (start the service on it once, so it migrates, then copy)");
        await SchemaMigrator.MigrateAsync(target, schema, ct: ct).ConfigureAwait(false);
        var targetVersion = await VersionAsync(target, schema, ct).ConfigureAwait(false);
        if (sourceVersion != targetVersion)
            throw new StoreCopyException(sourceVersion > targetVersion
                ? $"{source.Name} is at schema version {sourceVersion}, newer than this release's {targetVersion}: copy it with the release that made it"
                : $"{source.Name} is at schema version {sourceVersion}, older than this release's {targetVersion}: start the service of this release on it once (it migrates), stop it, then copy");

        var plans = new List<(string Table, IReadOnlyList<string> Columns)>();
        var occupied = new List<string>();
        foreach (var table in tables)
        {
            var columns = await SourceColumnsAsync(source, table, ct).ConfigureAwait(false);
            var targetColumns = await TargetColumnsAsync(target, table, ct).ConfigureAwait(false);
            if (targetColumns.Count == 0) throw new StoreCopyException($"table {table} of the source is not in the {schema.Name} schema of the target");
            if (columns.FirstOrDefault(c => !targetColumns.Contains(c)) is { } missing)
                throw new StoreCopyException($"column {table}.{missing} of the source is not in the {schema.Name} schema of the target");
            plans.Add((table, columns));
            if (Convert.ToInt64(await target.ScalarAsync($"SELECT COUNT(*) FROM `{table}`").ConfigureAwait(false), CultureInfo.InvariantCulture) > 0)
                occupied.Add(table);
        }
        if (occupied.Count > 0 && !options.Force)
            throw new StoreCopyException($"the target {target.Name} already has rows in {string.Join(", ", occupied)}: refusing to mix two installs (--force replaces them)");

        var results = new List<TableCopied>();
        foreach (var (table, columns) in plans)
        {
            var result = new TableCopied(table, await CopyTableAsync(source, target, table, columns, options, ct).ConfigureAwait(false));
            results.Add(result);
            copied?.Invoke(result);
        }
        return results;
    }

    /// <summary>One table in one transaction: its old rows gone (with --force), the source's rows inserted <see cref="StoreCopyOptions.BatchSize"/> at a time.</summary>
    private static async Task<long> CopyTableAsync(Database source, Database target, string table, IReadOnlyList<string> columns, StoreCopyOptions options, CancellationToken ct)
    {
        await using var into = await target.OpenAsync(ct).ConfigureAwait(false);
        // the tables go one by one, parents and children in any order: the source's rows already satisfied its keys
        await using (var off = into.Command("SET SESSION FOREIGN_KEY_CHECKS = 0"))
            await off.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        await using var transaction = await into.BeginTransactionAsync(ct).ConfigureAwait(false);
        await transaction.ExecuteAsync($"DELETE FROM `{table}`").ConfigureAwait(false);

        await using var from = await source.OpenAsync(ct).ConfigureAwait(false);
        await using var read = from.Command($"SELECT {string.Join(", ", columns.Select(c => $"\"{c}\""))} FROM \"{table}\"");
        await using var reader = await read.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var batch = new List<object?[]>(options.BatchSize);
        long rows = 0;
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            var row = new object?[columns.Count];
            reader.GetValues(row!);
            batch.Add(row);
            if (batch.Count == options.BatchSize) rows += await InsertAsync(transaction, table, columns, batch, ct).ConfigureAwait(false);
        }
        rows += await InsertAsync(transaction, table, columns, batch, ct).ConfigureAwait(false);
        await transaction.CommitAsync(ct).ConfigureAwait(false);
        return rows;
    }

    private static async Task<int> InsertAsync(DbTransaction transaction, string table, IReadOnlyList<string> columns, List<object?[]> batch, CancellationToken ct)
    {
        if (batch.Count == 0) return 0;
        var sql = new StringBuilder($"INSERT INTO `{table}` ({string.Join(", ", columns.Select(c => $"`{c}`"))}) VALUES ");
        var args = new List<(string, object?)>(batch.Count * columns.Count);
        for (var r = 0; r < batch.Count; r++)
        {
            sql.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < columns.Count; c++)
            {
                var name = string.Create(CultureInfo.InvariantCulture, $"@p{r}_{c}");
                sql.Append(c == 0 ? name : ", " + name);
                args.Add((name, batch[r][c] is DBNull ? null : batch[r][c]));
            }
            sql.Append(')');
        }
        await using var insert = transaction.Command(sql.ToString(), [.. args]);
        var count = await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        batch.Clear();
        return count;
    }

    private static async Task<List<string>> SourceTablesAsync(Database source, StoreSchema schema, CancellationToken ct)
    {
        var names = await source.QueryAsync("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name", r => r.GetString(0)).ConfigureAwait(false);
        ct.ThrowIfCancellationRequested();
        return [.. names.Where(n => n != schema.VersionTable).Select(Identifier)];
    }

    private static async Task<List<string>> SourceColumnsAsync(Database source, string table, CancellationToken ct)
    {
        var columns = await source.QueryAsync($"SELECT name FROM pragma_table_info('{table}')", r => r.GetString(0)).ConfigureAwait(false);
        ct.ThrowIfCancellationRequested();
        return [.. columns.Select(Identifier)];
    }

    private static async Task<HashSet<string>> TargetColumnsAsync(Database target, string table, CancellationToken ct)
    {
        var columns = await target.QueryAsync("SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = @t",
            r => r.GetString(0), ("@t", table)).ConfigureAwait(false);
        ct.ThrowIfCancellationRequested();
        return columns.ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The newest migration applied to <paramref name="database"/>, or null when it has no version table.</summary>
    private static async Task<long?> VersionAsync(Database database, StoreSchema schema, CancellationToken ct)
    {
        var exists = database.Provider == StorageProvider.Sqlite
            ? "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = @t"
            : "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = @t";
        if (Convert.ToInt64(await database.ScalarAsync(exists, ("@t", schema.VersionTable)).ConfigureAwait(false), CultureInfo.InvariantCulture) == 0) return null;
        ct.ThrowIfCancellationRequested();
        var version = await database.ScalarAsync($"SELECT MAX(version) FROM {Identifier(schema.VersionTable)}").ConfigureAwait(false);
        return version is null ? 0 : Convert.ToInt64(version, CultureInfo.InvariantCulture);
    }

    /// <summary>Names come from the source's catalogue and go into statements: plain identifiers only.</summary>
    private static string Identifier(string name) =>
        PlainIdentifier().IsMatch(name) ? name : throw new StoreCopyException($"table or column name '{name}' of the source is not a plain identifier: not copying it");

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex PlainIdentifier();
}
