using Agents.Contracts;
using Agents.Contracts.Commands;
using Agents.Contracts.Events;

namespace Agents.Messaging.Publishing;

/// <summary>The two ways every service publishes: an event on the CloudStack bus, a command for a router.</summary>
public static class BusPublishing
{
    public static Task PublishEventAsync(this ConfirmingPublisher publisher, CloudStackEvent e, CancellationToken ct = default) =>
        publisher.PublishAsync(new OutgoingMessage
        {
            Exchange = Topology.EventsExchange,
            RoutingKey = e.RoutingKey,
            Body = e.ToUtf8(),
            MessageId = e.MessageId ?? Guid.NewGuid().ToString(),
            CorrelationId = e["jobId"],
            Type = e.Category,
            // CloudStack's bus drops events nobody listens to; so do we (not mandatory).
            Mandatory = false,
        }, ct);

    /// <summary>A command on agents.commands; if no bridge serves the router it lands in agents.unroutable.</summary>
    public static Task PublishCommandAsync(this ConfirmingPublisher publisher, AgentCommand command, CancellationToken ct = default) =>
        publisher.PublishAsync(new OutgoingMessage
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
