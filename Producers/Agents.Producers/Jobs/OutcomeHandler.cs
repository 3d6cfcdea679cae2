using Agents.Contracts;
using Agents.Contracts.Events;
using Agents.Messaging.Consuming;
using Agents.Producers.Telemetry;
using Agents.Messaging;

namespace Agents.Producers.Jobs;

/// <summary>
/// Command outcomes from cloudstack-events complete job targets. The queue is bound to the event
/// types outcomes are published under; an event of those types that is no outcome (CloudStack's
/// own VM.RESETPASSWORD) is acked and ignored. The job engine ignores a duplicate or a stale
/// attempt, so a redelivery is harmless; the ack follows the store update.
/// </summary>
public sealed class OutcomeHandler(JobEngine engine, ProducersMetrics metrics) : IMessageHandler
{
    public const string Queue = "producers.outcomes";

    public static IReadOnlyList<string> Bindings { get; } =
        [.. AgentCommandCompleted.OutcomeEventTypes.Select(type => EventRoutingKey.Build("*", EventCategory.ActionEvent, type, "*", "*"))];

    public static QueueDeclaration Declare =>
        QueueDeclaration.Quorum(Queue, Topology.EventsExchange, [.. Bindings]);

    public async Task<Disposition> HandleAsync(IncomingMessage message, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (AgentCommandCompleted.FromEvent(message.ReadEvent()) is not { } outcome) return Disposition.Ack;
        // inside the delivery's span, which continues the command's trace from the bridge's outcome event
        using var activity = ProducersTracing.Source.StartActivity("complete command");
        activity?.SetTag("agents.command.id", outcome.CommandId);
        activity?.SetTag("agents.job.id", outcome.JobId);
        activity?.SetTag("agents.command.outcome", outcome.Outcome.ToString());
        await engine.OnOutcomeAsync(outcome).ConfigureAwait(false);
        metrics.CommandCompleted(outcome.CommandType, outcome.Outcome);
        return Disposition.Ack;
    }
}
