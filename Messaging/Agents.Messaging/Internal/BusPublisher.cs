using Agents.Contracts;
using Agents.Contracts.Commands;
using Agents.Contracts.Events;

namespace Agents.Messaging.Internal;

/// <summary>The contract's two publishes, each confirmed: an event on <c>cloudstack-events</c>, a command on <c>agents.commands</c>.</summary>
internal sealed class BusPublisher(ConfirmingPublisher publisher) : IEventPublisher, ICommandSender
{
    /// <summary>Coalesced with the events this process publishes at the same moment (<see cref="ConfirmingPublisher.PublishCoalescedAsync"/>).</summary>
    public Task PublishAsync(CloudStackEvent e, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(e);
        return publisher.PublishCoalescedAsync(EventMessage(e), ct);
    }

    public Task PublishAllAsync(IReadOnlyList<CloudStackEvent> events, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        return publisher.PublishAllAsync([.. events.Select(EventMessage)], ct);
    }

    private static OutgoingMessage EventMessage(CloudStackEvent e) => new()
    {
        Exchange = Topology.EventsExchange,
        RoutingKey = e.RoutingKey,
        Body = e.ToUtf8(),
        MessageId = e.MessageId ?? Guid.NewGuid().ToString(),
        CorrelationId = e["jobId"],
        Type = e.Category,
        // CloudStack's bus drops events nobody listens to; so do we (not mandatory).
        Mandatory = false,
    };

    /// <summary>If no bridge serves the router, the command lands in agents.unroutable (the exchange's alternate).</summary>
    public Task SendAsync(AgentCommand command, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        return publisher.PublishAsync(new OutgoingMessage
        {
            Exchange = Topology.CommandsExchange,
            RoutingKey = command.RoutingKey,
            Body = AgentJson.ToUtf8(command),
            MessageId = command.MessageId.ToString(),
            CorrelationId = command.JobId.ToString(),
            Type = command.Type,
            Headers = new Dictionary<string, object?> { ["x-schema-version"] = command.SchemaVersion },
        }, ct);
    }

    /// <summary>One message for the targets behind one router; its bridge expands it.</summary>
    public Task SendAsync(AgentCommandBatch batch, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return publisher.PublishAsync(new OutgoingMessage
        {
            Exchange = Topology.CommandsExchange,
            RoutingKey = batch.RoutingKey,
            Body = AgentJson.ToUtf8(batch),
            MessageId = batch.MessageId.ToString(),
            CorrelationId = batch.JobId.ToString(),
            Type = AgentCommandBatch.MessageType,
            Headers = new Dictionary<string, object?> { ["x-schema-version"] = batch.SchemaVersion },
        }, ct);
    }
}
