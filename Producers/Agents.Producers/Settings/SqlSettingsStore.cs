using Agents.Storage;

namespace Agents.Producers.Settings;

public sealed class SqlSettingsStore(Database db) : ISettingsStore
{
    public async Task<IReadOnlyDictionary<string, string>> AllAsync(CancellationToken ct) =>
        (await db.QueryAsync("SELECT name, value FROM configuration", r => (Name: r.GetString(0), Value: r.GetString(1))).ConfigureAwait(false))
            .ToDictionary(r => r.Name, r => r.Value, StringComparer.Ordinal);

    public Task SetAsync(string name, string value, string account, DateTimeOffset at, CancellationToken ct) =>
        db.ExecuteAsync(db.Dialect.Upsert("configuration", ["name", "value", "updated", "updated_by"], ["name"]),
            ("@name", name), ("@value", value), ("@updated", at.Iso()), ("@updated_by", account));
}
