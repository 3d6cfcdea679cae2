using System.Diagnostics;
using System.Diagnostics.Metrics;
using Agents.Contracts.Commands;
using Agents.Contracts.Events;

namespace Agents.Producers.Telemetry;

/// <summary>The API's instruments (meter <c>Agents.Producers</c>): commands published, their outcomes, jobs completed and how long they took.</summary>
public sealed class ProducersMetrics
{
    public const string MeterName = "Agents.Producers";

    private readonly Counter<long> _published;
    private readonly Counter<long> _outcomes;
    private readonly Counter<long> _jobsCompleted;
    private readonly Histogram<double> _jobDuration;
    private readonly Counter<long> _jobsTakenOver;

    public ProducersMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        _published = meter.CreateCounter<long>("agents.commands.published", "{command}",
            "Commands the broker confirmed on agents.commands (each attempt of a retried target counts), by command type");
        _outcomes = meter.CreateCounter<long>("agents.commands.completed", "{command}",
            "Command outcomes received from the bridges, by command type and outcome (a redelivered outcome counts again)");
        _jobsCompleted = meter.CreateCounter<long>("agents.jobs.completed", "{job}",
            "Async jobs finished, by API command and status (succeeded, failed)");
        _jobDuration = meter.CreateHistogram<double>("agents.jobs.duration", "s",
            "From an async job's creation to its completion, by API command and status",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900, 3600] });
        _jobsTakenOver = meter.CreateCounter<long>("agents.jobs.taken_over", "{job}",
            "Unfinished async jobs this instance took over from a management server whose lease ran out, by API command");
    }

    public void JobTakenOver(string command) => _jobsTakenOver.Add(1, new KeyValuePair<string, object?>("command", command));

    public void CommandPublished(string commandType) => _published.Add(1, new KeyValuePair<string, object?>("command", commandType));

    public void CommandCompleted(string commandType, CommandOutcome outcome) =>
        _outcomes.Add(1, new KeyValuePair<string, object?>("command", commandType), new KeyValuePair<string, object?>("outcome", outcome.ToString()));

    public void JobCompleted(string command, AsyncJobStatus status, TimeSpan duration)
    {
        var tags = new TagList { { "command", command }, { "status", status.ToString().ToLowerInvariant() } };
        _jobsCompleted.Add(1, tags);
        _jobDuration.Record(Math.Max(0, duration.TotalSeconds), tags);
    }
}
