using Agents.Storage.Audit;
using Agents.Testing;

namespace Agents.Storage.Tests;

/// <summary>An audit.db of the previous release (its own migration: PRAGMA user_version 1) opens in place and keeps its records.</summary>
public sealed class PreviousReleaseFileTests(SqliteEngine engine) : IClassFixture<SqliteEngine>
{
    /// <summary>The previous release's schema, verbatim (SqliteAuditSchema's migration 1), and one record.</summary>
    private const string PreviousRelease = """
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
        PRAGMA user_version = 1;
        INSERT INTO audit_events (event_id, routing_key, source, category, type, level, resource_type, resource_id, description, occurred_at_ms, received_at_ms, body)
        VALUES ('old-1', 'agents-framework.ActionEvent.VM-RESETPASSWORD.VirtualMachine.vm-old', 'agents-framework', 'ActionEvent', 'VM.RESETPASSWORD',
                'INFO', 'VirtualMachine', 'vm-old', 'reset before the upgrade', 1764000000000, 1764000000000, '{}');
        """;

    [Fact]
    public async Task a_file_of_the_previous_release_opens_in_place_keeps_its_records_and_takes_new_ones()
    {
        var db = await engine.DatabaseAsync("previous");
        await PreviousReleaseFile.CreateAsync(db.SqlitePath!, PreviousRelease);

        var store = await AuditStore.OpenAsync(db);

        var old = Assert.Single((await store.QueryAsync(new AuditQuery { ResourceId = "VM-OLD" })).Items);
        Assert.Equal("reset before the upgrade", old.Description);
        Assert.False(await store.AppendAsync(old));
        Assert.True(await store.AppendAsync(old with { EventId = "new-1", Description = "after the upgrade" }));
        Assert.Equal(["new-1", "old-1"], (await store.QueryAsync(new AuditQuery())).Items.Select(r => r.EventId).Order());
    }
}
