using Agents.Consumers.Plugins;
using Agents.Consumers.Bus;
using Agents.Contracts.Events;
using MassTransit;

namespace Agents.Consumers.Settings;

/// <summary>
/// Reads CloudStack's CONFIGURATION.VALUE.EDIT ActionEvents from this instance's own settings
/// queue (every instance gets every change) and hands the alert e-mail settings to <see cref="AlertSettings"/>.
/// </summary>
public sealed class AlertSettingsConsumer(AlertSettings settings) : IConsumer<CloudStackEventMessage>
{
    /// <summary>Durable but self-expiring, like a bridge's settings queue: a change published while the instance restarts is applied when it is back.</summary>
    public static string QueueFor(string instanceName) => $"consumers.settings.{instanceName}";

    public Task Consume(ConsumeContext<CloudStackEventMessage> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (ConfigurationChanged.FromEvent(context.ToEventDelivery().Event) is { } changed)
            settings.Apply(changed);
        return Task.CompletedTask;
    }
}
