using Agents.Consumers.Alerts;
using Agents.Contracts.Events;
using Agents.Storage;
using Agents.Testing;

namespace Agents.Consumers.Tests.Storage;

/// <summary>An alerts.db of the previous release (its own migration: PRAGMA user_version 1) opens in place and keeps its groups and outbox.</summary>
public sealed class PreviousReleaseFileTests(SqliteEngine engine) : IClassFixture<SqliteEngine>
{
    /// <summary>The previous release's schema, verbatim (AlertSchema's migration 1), and some rows.</summary>
    private const string PreviousRelease = """
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
        PRAGMA user_version = 1;
        INSERT INTO processed_events VALUES ('seen-before', 1764000000000);
        INSERT INTO alert_groups VALUES ('routers', 'r-old', 'Firing', 1, 'Critical', 'ALERT.ROUTER.HEALTH', 'DomainRouter', 'r-old',
            'router down', 'disk', 1764000000000, 1764000000000, 1, 1, 1, NULL, 1764000000000);
        INSERT INTO outbox (mail_id, kind, rule, group_key, recipients, subject, body, created_ms, next_attempt_ms)
        VALUES ('mail-old', 'firing', 'routers', 'r-old', 'ops@example.org', 'router down', 'disk', 1764000000000, 1764000000000);
        """;

    [Fact]
    public async Task a_file_of_the_previous_release_opens_in_place_and_its_unsent_email_still_goes_out()
    {
        var db = await engine.DatabaseAsync("previous");
        await PreviousReleaseFile.CreateAsync(db.SqlitePath!, PreviousRelease);

        await SchemaMigrator.MigrateAsync(db, AlertGroupStore.Schema);
        var (groups, outbox) = (new AlertGroupStore(db), new MailOutbox(db));

        var pending = Assert.Single(await outbox.PendingAsync(DateTimeOffset.UtcNow, 10, default));
        Assert.Equal("mail-old", pending.MailId);
        Assert.Equal(["ops@example.org"], pending.Recipients);
        Assert.Equal(AlertState.Firing, (await groups.GroupAsync("routers", "r-old", default))!.State);

        var rule = new AlertRule { Name = "routers", Recipients = ["ops@example.org"] };
        var resolved = new AlertSignal
        {
            EventId = "seen-before", Category = EventCategory.AlertEvent, Type = "ALERT.ROUTER.HEALTH", State = AlertState.Resolved, GroupKey = "r-old",
            ResourceType = "DomainRouter", ResourceId = "r-old", Subject = "router up", Body = "ok", At = DateTimeOffset.UtcNow,
        };
        Assert.False(await groups.RecordAsync("seen-before", [(rule, resolved)], new AlertOptions(), DateTimeOffset.UtcNow, default));
        Assert.True(await groups.RecordAsync("new-event", [(rule, resolved with { EventId = "new-event" })], new AlertOptions(), DateTimeOffset.UtcNow, default));
        Assert.Equal(["firing", "resolved"], (await outbox.PendingAsync(DateTimeOffset.UtcNow, 10, default)).Select(m => m.Kind));
    }
}
