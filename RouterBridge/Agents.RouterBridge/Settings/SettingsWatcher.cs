using System.Globalization;
using Agents.Contracts;
using Agents.Contracts.Events;
using Agents.Messaging.Consuming;
using Agents.RouterBridge.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Agents.Messaging;

namespace Agents.RouterBridge.Settings;

/// <summary>
/// Applies the global settings the bridge uses when updateConfiguration changes them (CloudStack's
/// CONFIGURATION.VALUE.EDIT ActionEvent), without a restart: ca.plugin.root.auth.strictness and
/// ca.plugin.root.allow.expired.cert from the next handshake on, router.health.checks.* from the
/// next check (intervals rescheduled). Other settings are not the bridge's and are ignored.
/// </summary>
public sealed class SettingsWatcher(AgentTls tls, IOptions<BridgeOptions> options, BridgeSchedules schedules, ILogger<SettingsWatcher> logger) : IMessageHandler
{
    public static string QueueFor(string routerId) => $"{Topology.RouterQueue(routerId)}.settings";

    /// <summary>Durable but self-expiring, like the revocations queue: a change published while the bridge restarts is applied when it is back.</summary>
    public static QueueDeclaration Declare(string routerId) =>
        QueueDeclaration.Expiring(QueueFor(routerId), QueueDeclaration.InstanceQueueExpiry, Topology.EventsExchange, ConfigurationChanged.Binding);

    public async Task<Disposition> HandleAsync(IncomingMessage message, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        // unreadable now means unreadable forever: InvalidEventException dead-letters it instead of redelivering it without end
        if (ConfigurationChanged.FromEvent(message.ReadEvent()) is not { } changed) return Disposition.Ack;
        var health = options.Value.HealthChecks;
        var value = changed.Value;
        switch (changed.Name)
        {
            case "ca.plugin.root.auth.strictness" when bool.TryParse(value, out var strict):
                tls.Policy = tls.Policy with { Strict = strict };
                break;
            case "ca.plugin.root.allow.expired.cert" when bool.TryParse(value, out var allow):
                tls.Policy = tls.Policy with { AllowExpired = allow };
                break;
            case "router.health.checks.enabled" when bool.TryParse(value, out var enabled):
                health.Enabled = enabled;
                await schedules.RescheduleHealthChecksAsync(ct).ConfigureAwait(false);
                break;
            case "router.health.checks.basic.interval" when Int(value) is { } minutes:
                health.BasicIntervalMinutes = minutes;
                await schedules.RescheduleHealthChecksAsync(ct).ConfigureAwait(false);
                break;
            case "router.health.checks.advanced.interval" when Int(value) is { } minutes:
                health.AdvancedIntervalMinutes = minutes;
                await schedules.RescheduleHealthChecksAsync(ct).ConfigureAwait(false);
                break;
            case "router.health.checks.free.disk.space.threshold" when Int(value) is { } mb:
                health.FreeDiskThresholdMb = mb;
                break;
            case "router.health.checks.max.cpu.usage.threshold" when Int(value) is { } cpu:
                health.MaxCpuPercent = cpu;
                break;
            case "router.health.checks.max.memory.usage.threshold" when Int(value) is { } memory:
                health.MaxMemoryPercent = memory;
                break;
            default:
                return Disposition.Ack;
        }
        logger.LogInformation("Setting {Name} is now {Value} (changed by {Account})", changed.Name, value, changed.Account);
        return Disposition.Ack;
    }

    private static int? Int(string value) => int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n >= 0 ? n : null;
}
