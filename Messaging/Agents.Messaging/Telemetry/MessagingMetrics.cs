using System.Diagnostics.Metrics;

namespace Agents.Messaging.Telemetry;

/// <summary>
/// The messaging kit's instruments, one <see cref="Meter"/> shared by every service (the kit's
/// publisher and consumer are built by hand in many places, so the meter is not a DI service).
/// </summary>
public sealed class MessagingMetrics
{
    public const string MeterName = "Agents.Messaging";

    public static MessagingMetrics Shared { get; } = new();

    private readonly Counter<long> _confirms;
    private readonly Counter<long> _retries;
    private readonly Counter<long> _failures;
    private readonly Counter<long> _deliveries;

    private MessagingMetrics()
    {
        var meter = new Meter(MeterName);
        _confirms = meter.CreateCounter<long>("agents.messaging.publish.confirms", "{message}", "Messages the broker confirmed (publisher confirms)");
        _retries = meter.CreateCounter<long>("agents.messaging.publish.retries", "{attempt}", "Publishes sent again after a lost channel or connection, or a confirm that did not come");
        _failures = meter.CreateCounter<long>("agents.messaging.publish.failures", "{message}", "Publishes that failed for good: refused or unroutable, or no confirm after every attempt");
        _deliveries = meter.CreateCounter<long>("agents.messaging.deliveries", "{message}", "Deliveries handled by the kit's queue consumers, by queue and disposition (ack, retry, reject)");
    }

    public void Confirmed(string exchange) => _confirms.Add(1, new KeyValuePair<string, object?>("exchange", exchange));

    public void Retried(string exchange) => _retries.Add(1, new KeyValuePair<string, object?>("exchange", exchange));

    public void Failed(string exchange) => _failures.Add(1, new KeyValuePair<string, object?>("exchange", exchange));

    public void Delivered(string queue, Consuming.Disposition disposition) =>
        _deliveries.Add(1, new KeyValuePair<string, object?>("queue", queue), new KeyValuePair<string, object?>("disposition", disposition.ToString().ToLowerInvariant()));
}
