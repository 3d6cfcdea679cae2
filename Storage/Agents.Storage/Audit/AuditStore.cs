using System.Data.Common;

namespace Agents.Storage.Audit;

/// <summary>
/// The audit log: the consumers append, the API reads it for listEvents. On SQLite it is the
/// file both are pointed at; on MariaDB the shared database. Times are Unix milliseconds (UTC),
/// so range filters compare numbers.
/// </summary>
public sealed class AuditStore(Database db) : IAuditStore
{
    public static readonly StoreSchema Schema = new("audit", typeof(Migrations.CreateAuditEvents));

    /// <summary>Migrates the audit tables, then opens the store.</summary>
    public static async Task<AuditStore> OpenAsync(Database db, CancellationToken ct = default)
    {
        await SchemaMigrator.MigrateAsync(db, Schema, ct: ct).ConfigureAwait(false);
        return new AuditStore(db);
    }

    public Database Database => db;

    public async Task<bool> AppendAsync(AuditRecord record, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return await db.ExecuteAsync(
            $"""
            {db.Dialect.InsertIgnore} INTO audit_events (event_id, routing_key, source, category, type, level, resource_type, resource_id,
                                                         description, occurred_at_ms, received_at_ms, body)
            VALUES (@id, @rk, @source, @category, @type, @level, @rtype, @rid, @description, @occurred, @received, @body)
            """,
            ("@id", record.EventId), ("@rk", record.RoutingKey), ("@source", record.Source), ("@category", record.Category), ("@type", record.Type),
            ("@level", record.Level.ToUpperInvariant()), ("@rtype", record.ResourceType), ("@rid", record.ResourceId), ("@description", record.Description),
            ("@occurred", record.OccurredAt.ToUnixTimeMilliseconds()), ("@received", record.ReceivedAt.ToUnixTimeMilliseconds()), ("@body", record.Body))
            .ConfigureAwait(false) == 1;
    }

    public async Task<AuditPage> QueryAsync(AuditQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        var (where, args) = Where(query);
        var total = Convert.ToInt64(await db.ScalarAsync($"SELECT COUNT(*) FROM audit_events {where}", args).ConfigureAwait(false),
            System.Globalization.CultureInfo.InvariantCulture);
        var items = await db.QueryAsync(
            $"SELECT {Columns} FROM audit_events {where} ORDER BY occurred_at_ms DESC, seq DESC LIMIT @limit OFFSET @offset", Read,
            [.. args, ("@limit", query.PageSize), ("@offset", (long)(query.Page - 1) * query.PageSize)]).ConfigureAwait(false);
        return new AuditPage(items, total);
    }

    public async Task<long> ExportJsonLinesAsync(AuditQuery query, TextWriter writer, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(writer);
        query.Validate();
        var (where, args) = Where(query);
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        await using var select = connection.Command($"SELECT {Columns} FROM audit_events {where} ORDER BY occurred_at_ms, seq", args);
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

    private static AuditRecord Read(DbDataReader r) => new()
    {
        EventId = r.GetString(0),
        RoutingKey = r.GetString(1),
        Source = r.GetString(2),
        Category = r.GetString(3),
        Type = r.GetString(4),
        Level = r.GetString(5),
        ResourceType = r.NullableString(6),
        ResourceId = r.NullableString(7),
        Description = r.GetString(8),
        OccurredAt = DateTimeOffset.FromUnixTimeMilliseconds(r.Long(9)),
        ReceivedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.Long(10)),
        Body = r.GetString(11),
    };

    private (string Where, (string Name, object? Value)[] Args) Where(AuditQuery q)
    {
        var clauses = new List<string>();
        var args = new List<(string, object?)>();
        void Add(string clause, string name, object? value)
        {
            if (value is null) return;
            clauses.Add(clause);
            args.Add((name, value));
        }
        var d = db.Dialect;
        Add("event_id = @eid", "@eid", q.EventId);
        Add(d.EqualsIgnoreCase("type", "@type"), "@type", q.Type);
        Add("level = @level", "@level", q.Level?.ToUpperInvariant());
        Add(d.EqualsIgnoreCase("category", "@category"), "@category", q.Category);
        Add("occurred_at_ms >= @start", "@start", q.StartDate?.ToUnixTimeMilliseconds());
        Add("occurred_at_ms <= @end", "@end", q.EndDate?.ToUnixTimeMilliseconds());
        Add(d.EqualsIgnoreCase("resource_type", "@rtype"), "@rtype", q.ResourceType);
        Add(d.EqualsIgnoreCase("resource_id", "@rid"), "@rid", q.ResourceId);
        Add("(instr(lower(description), lower(@kw)) > 0 OR instr(lower(type), lower(@kw)) > 0)", "@kw", q.Keyword);
        return (clauses.Count == 0 ? "" : "WHERE " + string.Join(" AND ", clauses), [.. args]);
    }
}
