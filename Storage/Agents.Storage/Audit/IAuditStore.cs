namespace Agents.Storage.Audit;

/// <summary>The durable audit log of the event bus: the consumers append, the API reads (SQLite by default, or the shared MariaDB database).</summary>
public interface IAuditStore
{
    /// <summary>Appends a record; false when a record with the same <see cref="AuditRecord.EventId"/> is already there (nothing changes).</summary>
    Task<bool> AppendAsync(AuditRecord record, CancellationToken ct = default);

    /// <summary>One page of the records matching <paramref name="query"/>, newest first.</summary>
    Task<AuditPage> QueryAsync(AuditQuery query, CancellationToken ct = default);

    /// <summary>Writes every record matching <paramref name="query"/> (ignoring its paging), oldest first, one JSON object a line; returns how many.</summary>
    Task<long> ExportJsonLinesAsync(AuditQuery query, TextWriter writer, CancellationToken ct = default);
}
