using System.Globalization;
using Agents.CaAuthority.Options;
using Agents.Contracts;
using Agents.Contracts.Events;
using Agents.Messaging.Consuming;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Agents.Messaging;

namespace Agents.CaAuthority.Settings;

/// <summary>
/// Applies the CA's global settings when updateConfiguration changes them (CloudStack's
/// CONFIGURATION.VALUE.EDIT ActionEvent), without a restart: the validity of new certificates,
/// the expiry alert window and automatic renewal hold from the next issue or expiry scan.
/// </summary>
public sealed class CaSettingsWatcher(IOptions<CaOptions> options, ILogger<CaSettingsWatcher> logger) : IMessageHandler
{
    /// <summary>This CA instance's own queue (<c>ca.settings.{Ca:InstanceName}</c>): with several CA instances on one inventory each gets every change.</summary>
    public static string QueueFor(string instanceName) => $"ca.settings.{instanceName}";

    /// <summary>Durable but self-expiring: a change published while the instance restarts is applied when it is back.</summary>
    public static QueueDeclaration Declare(string instanceName) =>
        QueueDeclaration.Expiring(QueueFor(instanceName), QueueDeclaration.InstanceQueueExpiry,
            Topology.EventsExchange, ConfigurationChanged.Binding);

    public Task<Disposition> HandleAsync(IncomingMessage message, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        // unreadable now means unreadable forever: InvalidEventException dead-letters it instead of redelivering it without end
        if (ConfigurationChanged.FromEvent(message.ReadEvent()) is not { } changed) return Task.FromResult(Disposition.Ack);
        var ca = options.Value;
        var value = changed.Value;
        switch (changed.Name)
        {
            case "ca.framework.cert.validity.period" when Int(value, 1, 3650) is { } days:
                ca.CertValidityDays = days;
                break;
            case "ca.framework.cert.expiry.alert.period" when Int(value, 1, 365) is { } days:
                ca.ExpiryAlertPeriodDays = days;
                break;
            case "ca.framework.cert.automatic.renewal" when bool.TryParse(value, out var renew):
                ca.AutomaticRenewal = renew;
                break;
            default:
                return Task.FromResult(Disposition.Ack);
        }
        logger.LogInformation("Setting {Name} is now {Value} (changed by {Account})", changed.Name, value, changed.Account);
        return Task.FromResult(Disposition.Ack);
    }

    private static int? Int(string value, int min, int max) =>
        int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max ? n : null;
}
