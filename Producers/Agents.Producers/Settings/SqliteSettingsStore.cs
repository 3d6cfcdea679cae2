using Agents.Producers.Storage;

namespace Agents.Producers.Settings;

public sealed class SqliteSettingsStore(Database db) : ISettingsStore
{
    public async Task<IReadOnlyDictionary<string, string>> AllAsync(CancellationToken ct) =>
        (await db.QueryAsync("SELECT name, value FROM configuration", r => (Name: r.GetString(0), Value: r.GetString(1))).ConfigureAwait(false))
            .ToDictionary(r => r.Name, r => r.Value, StringComparer.Ordinal);

    public Task SetAsync(string name, string value, string account, DateTimeOffset at, CancellationToken ct) =>
        db.ExecuteAsync(
            "INSERT INTO configuration(name, value, updated, updated_by) VALUES ($n, $v, $t, $a) " +
            "ON CONFLICT(name) DO UPDATE SET value = excluded.value, updated = excluded.updated, updated_by = excluded.updated_by",
            ("$n", name), ("$v", value), ("$t", at.Iso()), ("$a", account));
}
