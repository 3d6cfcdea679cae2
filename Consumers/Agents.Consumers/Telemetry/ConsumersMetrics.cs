using System.Diagnostics.Metrics;
using Agents.Consumers.Alerts;

namespace Agents.Consumers.Telemetry;

/// <summary>The consumers' instruments (meter <c>Agents.Consumers</c>): events audited, alerts as grouping and throttling folded them, alert e-mails sent and failed.</summary>
public sealed class ConsumersMetrics
{
    public const string MeterName = "Agents.Consumers";

    private readonly Counter<long> _alerts;
    private readonly Counter<long> _sent;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _audited;

    public ConsumersMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        _alerts = meter.CreateCounter<long>("agents.alerts.recorded", "{alert}",
            "Firing alerts recorded in their groups, by rule and fold: opened (a new group), grouped (into a group's first e-mail), throttled (held until the repeat interval)");
        _sent = meter.CreateCounter<long>("agents.alerts.emails.sent", "{email}", "Alert e-mails the SMTP server took, by kind (firing, repeat, resolved)");
        _failed = meter.CreateCounter<long>("agents.alerts.emails.failed", "{attempt}", "Attempts to send an alert e-mail that failed (it is tried again later)");
        _audited = meter.CreateCounter<long>("agents.audit.events", "{event}", "Events appended to the audit log, by category (a redelivered event is not counted again)");
    }

    public void Recorded(string rule, AlertFold fold) =>
        _alerts.Add(1, new KeyValuePair<string, object?>("rule", rule), new KeyValuePair<string, object?>("fold", fold.ToString().ToLowerInvariant()));

    public void Sent(string kind) => _sent.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public void Audited(string category) => _audited.Add(1, new KeyValuePair<string, object?>("category", category));

    public void Failed(string kind) => _failed.Add(1, new KeyValuePair<string, object?>("kind", kind));
}
