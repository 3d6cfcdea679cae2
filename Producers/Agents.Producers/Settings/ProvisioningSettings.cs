using System.Globalization;
using Microsoft.Extensions.Options;

namespace Agents.Producers.Settings;

/// <summary>
/// Applies the settings this service uses itself (agents.provisioning.*, agents.agent.*) to its live options: the
/// job engine reads them at each decision, so a change holds from the next retry on. Stored
/// values are applied at start too, over the configuration file's.
/// </summary>
public sealed class ProvisioningSettings(IOptions<ProducersOptions> options, ISettingsStore store, ILogger<ProvisioningSettings> logger) : IHostedService
{
    public void Apply(string name, string value)
    {
        var provisioning = options.Value.Provisioning;
        if (name == GlobalSettings.ProvisioningRetries) provisioning.Retries = int.Parse(value, CultureInfo.InvariantCulture);
        else if (name == GlobalSettings.ProvisioningRetryInterval) provisioning.RetryIntervalSeconds = int.Parse(value, CultureInfo.InvariantCulture);
        else if (name == GlobalSettings.AgentIso) provisioning.AgentIso = value;
        else if (name == GlobalSettings.AgentPackages) provisioning.AgentPackages = value;
        else if (name == GlobalSettings.AgentInstallCommand) provisioning.AgentInstallCommand = value;
        else return;
        logger.LogInformation("Setting {Name} is now {Value}", name, value);
    }

    /// <summary>What this service runs with now: its own settings' live values, the others' stored values or defaults.</summary>
    public string? LocalValue(string name) => name switch
    {
        GlobalSettings.ProvisioningRetries => options.Value.Provisioning.Retries.ToString(CultureInfo.InvariantCulture),
        GlobalSettings.ProvisioningRetryInterval => options.Value.Provisioning.RetryIntervalSeconds.ToString(CultureInfo.InvariantCulture),
        GlobalSettings.AgentIso => options.Value.Provisioning.AgentIso,
        GlobalSettings.AgentPackages => options.Value.Provisioning.AgentPackages,
        GlobalSettings.AgentInstallCommand => options.Value.Provisioning.AgentInstallCommand,
        _ => null,
    };

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var (name, value) in await store.AllAsync(cancellationToken).ConfigureAwait(false)) Apply(name, value);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
