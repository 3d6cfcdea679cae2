using Microsoft.Data.Sqlite;

namespace Agents.Audit;

/// <summary>The audit schema, one migration per entry; <c>PRAGMA user_version</c> holds how many ran.</summary>
internal static class SqliteAuditSchema
{
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE IF NOT EXISTS audit_events (
            seq            INTEGER PRIMARY KEY AUTOINCREMENT,
            event_id       TEXT    NOT NULL UNIQUE,
            routing_key    TEXT    NOT NULL,
            source         TEXT    NOT NULL,
            category       TEXT    NOT NULL,
            type           TEXT    NOT NULL,
            level          TEXT    NOT NULL,
            resource_type  TEXT,
            resource_id    TEXT,
            description    TEXT    NOT NULL,
            occurred_at_ms INTEGER NOT NULL,
            received_at_ms INTEGER NOT NULL,
            body           TEXT    NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_audit_occurred ON audit_events (occurred_at_ms);
        CREATE INDEX IF NOT EXISTS ix_audit_type ON audit_events (type COLLATE NOCASE, occurred_at_ms);
        CREATE INDEX IF NOT EXISTS ix_audit_resource ON audit_events (resource_id COLLATE NOCASE, occurred_at_ms);
        """,
    ];

    public static void Migrate(SqliteConnection connection)
    {
        using (connection) SqliteMigrations.Apply(connection, Migrations, "audit");
    }
}
