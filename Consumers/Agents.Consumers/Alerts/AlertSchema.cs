using Agents.Audit;
using Microsoft.Data.Sqlite;

namespace Agents.Consumers.Alerts;

/// <summary>Tables of the alert store; <c>PRAGMA user_version</c> counts the migrations applied.</summary>
internal static class AlertSchema
{
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE processed_events (
            event_id TEXT PRIMARY KEY,
            at_ms    INTEGER NOT NULL
        );
        CREATE INDEX ix_processed_at ON processed_events (at_ms);
        CREATE TABLE alert_groups (
            rule              TEXT    NOT NULL,
            group_key         TEXT    NOT NULL,
            state             TEXT    NOT NULL,
            episode           INTEGER NOT NULL,
            severity          TEXT    NOT NULL,
            type              TEXT    NOT NULL,
            resource_type     TEXT    NOT NULL,
            resource_id       TEXT    NOT NULL,
            subject           TEXT    NOT NULL,
            body              TEXT    NOT NULL,
            first_seen_ms     INTEGER NOT NULL,
            last_seen_ms      INTEGER NOT NULL,
            alerts_since_mail INTEGER NOT NULL,
            alerts_in_episode INTEGER NOT NULL,
            mails_in_episode  INTEGER NOT NULL,
            mail_due_ms       INTEGER,
            last_mail_ms      INTEGER,
            PRIMARY KEY (rule, group_key)
        );
        CREATE INDEX ix_groups_due ON alert_groups (mail_due_ms) WHERE mail_due_ms IS NOT NULL;
        CREATE TABLE outbox (
            id              INTEGER PRIMARY KEY AUTOINCREMENT,
            mail_id         TEXT    NOT NULL UNIQUE,
            kind            TEXT    NOT NULL,
            rule            TEXT    NOT NULL,
            group_key       TEXT    NOT NULL,
            recipients      TEXT    NOT NULL,
            subject         TEXT    NOT NULL,
            body            TEXT    NOT NULL,
            created_ms      INTEGER NOT NULL,
            attempts        INTEGER NOT NULL DEFAULT 0,
            next_attempt_ms INTEGER NOT NULL,
            last_error      TEXT,
            sent_ms         INTEGER
        );
        CREATE INDEX ix_outbox_pending ON outbox (next_attempt_ms) WHERE sent_ms IS NULL;
        """,
    ];

    public static void Migrate(SqliteConnection connection) => SqliteMigrations.Apply(connection, Migrations, "alert");
}
