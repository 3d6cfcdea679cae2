using Agents.Contracts;
using Agents.Contracts.Commands;

namespace Agents.Messaging.Internal;

/// <summary>A command on <c>agents.commands</c>, confirmed; if no bridge serves the router it lands in agents.unroutable.</summary>
internal sealed class CommandSender(ConfirmingPublisher publisher) : ICommandSender
{
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
}
