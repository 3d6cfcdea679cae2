using System.Diagnostics;
using System.Diagnostics.Metrics;
using Agents.Contracts.Commands;
using Agents.RouterBridge.Core.Agents;
using Microsoft.Extensions.Options;

namespace Agents.RouterBridge.Telemetry;

/// <summary>The bridge's instruments (meter <c>Agents.RouterBridge</c>): commands relayed, how long they took, agents connected.</summary>
public sealed class BridgeMetrics
{
    public const string MeterName = "Agents.RouterBridge";

    private readonly Counter<long> _relayed;
    private readonly Histogram<double> _duration;

    public BridgeMetrics(IMeterFactory meters, AgentRegistry agents, IOptions<BridgeOptions> options)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(options);
        var meter = meters.Create(MeterName);
        var router = new KeyValuePair<string, object?>("router", options.Value.RouterId);
        _relayed = meter.CreateCounter<long>("agents.commands.relayed", "{command}",
            "Commands this bridge took from its queue and answered (relayed to an agent, or run on the router), by command type and outcome");
        _duration = meter.CreateHistogram<double>("agents.commands.relay.duration", "s",
            "From taking a command off the queue to its outcome (delivery wait and execution included)",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300] });
        meter.CreateObservableGauge("agents.bridge.agents.connected", () => new Measurement<int>(agents.Count, router), "{agent}",
            "Agents connected to this bridge over mutual TLS now");
    }

    public void Relayed(string commandType, CommandOutcome outcome, TimeSpan elapsed)
    {
        var tags = new TagList { { "command", commandType }, { "outcome", outcome.ToString() } };
        _relayed.Add(1, tags);
        _duration.Record(elapsed.TotalSeconds, tags);
    }
}
