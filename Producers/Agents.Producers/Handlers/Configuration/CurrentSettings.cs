using Agents.Producers.Settings;

namespace Agents.Producers.Handlers.Configuration;

/// <summary>The value of each setting as listConfigurations shows it: the one stored by updateConfiguration, else what this service runs with, else the default.</summary>
public sealed class CurrentSettings(ISettingsStore store, ProvisioningSettings provisioning)
{
    public async Task<IReadOnlyList<(GlobalSetting Setting, string Value)>> AllAsync(CancellationToken ct)
    {
        var stored = await store.AllAsync(ct).ConfigureAwait(false);
        return GlobalSettings.All.Select(s => (s, stored.GetValueOrDefault(s.Name) ?? provisioning.LocalValue(s.Name) ?? s.DefaultValue)).ToList();
    }
}
