namespace Agents.Producers.Settings;

/// <summary>The values of global settings changed with updateConfiguration (a setting never changed has no row: its default applies).</summary>
public interface ISettingsStore
{
    Task<IReadOnlyDictionary<string, string>> AllAsync(CancellationToken ct);

    Task SetAsync(string name, string value, string account, DateTimeOffset at, CancellationToken ct);
}
