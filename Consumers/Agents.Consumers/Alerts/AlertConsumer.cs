using Agents.Consumers.Plugins;
using Agents.Consumers.Bus;
using Agents.Consumers.Telemetry;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Agents.Consumers.Alerts;

/// <summary>
/// Matches an event against the alert rules and records it in its groups. The delivery is
/// acknowledged (by MassTransit, when this returns) only after the groups and any e-mail it
/// caused are committed to the alert store (<see cref="AlertGroupStore"/>): the outbox sends them, whether SMTP is up or not.
/// </summary>
public sealed class AlertConsumer(
    AlertGroupStore groups,
    AlertDispatcher dispatcher,
    ConsumersMetrics metrics,
    IOptions<AlertOptions> options,
    ILogger<AlertConsumer> logger) : IConsumer<CloudStackEventMessage>
{
    public async Task Consume(ConsumeContext<CloudStackEventMessage> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var delivery = context.ToEventDelivery();
        var signal = AlertSignal.From(delivery);
        if (signal is null) return;
        var matches = options.Value.Rules.Where(signal.Matches).Select(rule => (rule, signal)).ToList();
        if (matches.Count == 0) return;
        var folds = new List<(string Rule, AlertFold Fold)>();
        var recorded = await groups.RecordAsync(signal.EventId, matches, options.Value, DateTimeOffset.UtcNow, context.CancellationToken, folds).ConfigureAwait(false);
        if (!recorded)
        {
            logger.LogInformation("Alert {EventId} seen before; ignored", signal.EventId);
            return;
        }
        foreach (var (rule, fold) in folds) metrics.Recorded(rule, fold);
        logger.LogInformation("Alert {EventId} {Type} {State} for group {GroupKey} ({Rules})",
            signal.EventId, signal.Type, signal.State, signal.GroupKey, string.Join(", ", matches.Select(m => m.rule.Name)));
        dispatcher.Wake();
    }
}
