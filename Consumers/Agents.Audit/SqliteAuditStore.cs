using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Agents.Audit;

/// <summary>
/// The audit log in one SQLite file (WAL). The schema is created and migrated on construction
/// (<c>PRAGMA user_version</c> counts the migrations applied). Times are stored as Unix
/// milliseconds (UTC) so range filters compare numbers.
/// </summary>
public sealed class SqliteAuditStore : IAuditStore
{
    private readonly string _connectionString;

    public SqliteAuditStore(string databasePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        var directory = Path.GetDirectoryName(Path.GetFullPath(databasePath));
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        SqliteAuditSchema.Migrate(Open());
    }

    public string DatabasePath => new SqliteConnectionStringBuilder(_connectionString).DataSource;

    public async Task<bool> AppendAsync(AuditRecord record, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO audit_events (event_id, routing_key, source, category, type, level, resource_type, resource_id,
                                      description, occurred_at_ms, received_at_ms, body)
            VALUES ($id, $rk, $source, $category, $type, $level, $rtype, $rid, $description, $occurred, $received, $body)
            ON CONFLICT (event_id) DO NOTHING
            """;
        command.Parameters.AddWithValue("$id", record.EventId);
        command.Parameters.AddWithValue("$rk", record.RoutingKey);
        command.Parameters.AddWithValue("$source", record.Source);
        command.Parameters.AddWithValue("$category", record.Category);
        command.Parameters.AddWithValue("$type", record.Type);
        command.Parameters.AddWithValue("$level", record.Level.ToUpperInvariant());
        command.Parameters.AddWithValue("$rtype", (object?)record.ResourceType ?? DBNull.Value);
        command.Parameters.AddWithValue("$rid", (object?)record.ResourceId ?? DBNull.Value);
        command.Parameters.AddWithValue("$description", record.Description);
        command.Parameters.AddWithValue("$occurred", record.OccurredAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$received", record.ReceivedAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$body", record.Body);
        return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1;
    }

    public async Task<AuditPage> QueryAsync(AuditQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        await using var connection = Open();
        var (where, parameters) = Where(query);

        await using var count = connection.CreateCommand();
        count.CommandText = $"SELECT COUNT(*) FROM audit_events {where}";
        count.Parameters.AddRange(parameters());
        var total = (long)(await count.ExecuteScalarAsync(ct).ConfigureAwait(false))!;

        await using var select = connection.CreateCommand();
        select.CommandText = $"SELECT {Columns} FROM audit_events {where} ORDER BY occurred_at_ms DESC, seq DESC LIMIT $limit OFFSET $offset";
        select.Parameters.AddRange(parameters());
        select.Parameters.AddWithValue("$limit", query.PageSize);
        select.Parameters.AddWithValue("$offset", (long)(query.Page - 1) * query.PageSize);
        var items = new List<AuditRecord>();
        await using var reader = await select.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false)) items.Add(Read(reader));
        return new AuditPage(items, total);
    }

    public async Task<long> ExportJsonLinesAsync(AuditQuery query, TextWriter writer, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(writer);
        query.Validate();
        await using var connection = Open();
        var (where, parameters) = Where(query);
        await using var select = connection.CreateCommand();
        select.CommandText = $"SELECT {Columns} FROM audit_events {where} ORDER BY occurred_at_ms, seq";
        select.Parameters.AddRange(parameters());
        long n = 0;
        await using var reader = await select.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            await writer.WriteLineAsync(AuditJsonLines.Format(Read(reader)).AsMemory(), ct).ConfigureAwait(false);
            n++;
        }
        await writer.FlushAsync(ct).ConfigureAwait(false);
        return n;
    }

    private const string Columns =
        "event_id, routing_key, source, category, type, level, resource_type, resource_id, description, occurred_at_ms, received_at_ms, body";

    private static AuditRecord Read(SqliteDataReader r) => new()
    {
        EventId = r.GetString(0),
        RoutingKey = r.GetString(1),
        Source = r.GetString(2),
        Category = r.GetString(3),
        Type = r.GetString(4),
        Level = r.GetString(5),
        ResourceType = r.IsDBNull(6) ? null : r.GetString(6),
        ResourceId = r.IsDBNull(7) ? null : r.GetString(7),
        Description = r.GetString(8),
        OccurredAt = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(9)),
        ReceivedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(10)),
        Body = r.GetString(11),
    };

    /// <summary>The WHERE clause, and a factory of fresh parameters (a parameter belongs to one command).</summary>
    private static (string Where, Func<SqliteParameter[]> Parameters) Where(AuditQuery q)
    {
        var clauses = new List<string>();
        var values = new List<(string Name, object Value)>();
        void Add(string clause, string name, object? value)
        {
            if (value is null) return;
            clauses.Add(clause);
            values.Add((name, value));
        }
        Add("event_id = $eid", "$eid", q.EventId);
        Add("type = $type COLLATE NOCASE", "$type", q.Type);
        Add("level = $level", "$level", q.Level?.ToUpperInvariant());
        Add("category = $category COLLATE NOCASE", "$category", q.Category);
        Add("occurred_at_ms >= $start", "$start", q.StartDate?.ToUnixTimeMilliseconds());
        Add("occurred_at_ms <= $end", "$end", q.EndDate?.ToUnixTimeMilliseconds());
        Add("resource_type = $rtype COLLATE NOCASE", "$rtype", q.ResourceType);
        Add("resource_id = $rid COLLATE NOCASE", "$rid", q.ResourceId);
        Add("(instr(lower(description), lower($kw)) > 0 OR instr(lower(type), lower($kw)) > 0)", "$kw", q.Keyword);
        var where = clauses.Count == 0 ? "" : "WHERE " + string.Join(" AND ", clauses);
        return (where, () => [.. values.Select(v => new SqliteParameter(v.Name, v.Value))]);
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA busy_timeout = 30000;";
        pragma.ExecuteNonQuery();
        return connection;
    }
}
