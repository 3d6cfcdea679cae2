using Agents.CaAuthority.Store;
using Agents.Storage;
using Agents.Testing;

namespace Agents.CaAuthority.Tests.Storage;

/// <summary>A ca.db of the previous release (its own migration: a schema_version table) opens in place and keeps its inventory.</summary>
public sealed class PreviousReleaseFileTests(SqliteEngine engine) : IClassFixture<SqliteEngine>
{
    /// <summary>The previous release's schema, verbatim (SqliteCaStore's migration 1), and some rows.</summary>
    private const string PreviousRelease = """
        CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
        CREATE TABLE certificates (
            serial TEXT PRIMARY KEY, subject TEXT NOT NULL, sans TEXT NOT NULL, holder TEXT, router_id TEXT,
            not_before TEXT NOT NULL, not_after TEXT NOT NULL, status TEXT NOT NULL, revoked_at TEXT, reason TEXT,
            pem TEXT NOT NULL, issued_at TEXT NOT NULL, last_expiry_alert_at TEXT, renewal_requested_at TEXT);
        CREATE INDEX certificates_holder ON certificates(holder, status);
        CREATE INDEX certificates_expiry ON certificates(status, not_after);
        CREATE TABLE tokens (hash TEXT PRIMARY KEY, holder TEXT NOT NULL, router_id TEXT, expires_at TEXT NOT NULL, used_at TEXT);
        CREATE TABLE crl (id INTEGER PRIMARY KEY CHECK (id = 1), number INTEGER NOT NULL);
        INSERT INTO crl (id, number) VALUES (1, 0);
        INSERT INTO schema_version (version) VALUES (1);
        INSERT INTO certificates VALUES ('0A1B2C', 'CN=vm-old', 'URI:urn:cloudstack:vm:old', 'urn:cloudstack:vm:old', NULL,
            '2026-11-01T10:00:00.0000000Z', '2027-02-01T10:00:00.0000000Z', 'Valid', NULL, NULL, 'PEM', '2026-11-01T10:00:00.0000000Z', NULL, NULL);
        INSERT INTO certificates VALUES ('0D0D0D', 'CN=vm-gone', 'URI:urn:cloudstack:vm:gone', 'urn:cloudstack:vm:gone', NULL,
            '2026-11-01T10:00:00.0000000Z', '2027-02-01T10:00:00.0000000Z', 'Revoked', '2026-11-02T10:00:00.0000000Z', 'keyCompromise', 'PEM', '2026-11-01T10:00:00.0000000Z', NULL, NULL);
        INSERT INTO tokens VALUES ('used-token', 'urn:cloudstack:vm:old', NULL, '2026-11-02T10:00:00.0000000Z', '2026-11-01T10:00:00.0000000Z');
        UPDATE crl SET number = 7 WHERE id = 1;
        """;

    [Fact]
    public async Task a_file_of_the_previous_release_opens_in_place_keeps_its_inventory_and_crl_number()
    {
        var db = await engine.DatabaseAsync("previous");
        await PreviousReleaseFile.CreateAsync(db.SqlitePath!, PreviousRelease);

        var store = await SqlCaStore.OpenAsync(db);

        Assert.Equal("CN=vm-old", (await store.CurrentForHolderAsync("urn:cloudstack:vm:old"))!.Subject);
        Assert.Equal("0D0D0D", Assert.Single(await store.RevokedAsync()).SerialNumber);
        Assert.NotNull((await store.FindTokenAsync("used-token"))!.UsedAt);
        Assert.Equal(8, await store.NextCrlNumberAsync());
        Assert.Equal(2, await store.CountAsync());
    }
}
