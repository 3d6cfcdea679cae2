using Agents.Contracts;
using Agents.Contracts.Events;
using Agents.Messaging.Consuming;
using RabbitMQ.Client;

namespace Agents.Producers.Presence;

/// <summary>Keeps <see cref="IAgentDirectory"/> current from the bridges' presence and health ResourceStateEvents.</summary>
public sealed class AgentStateHandler(IAgentDirectory directory, Jobs.FirstBootRunner firstBoot) : IMessageHandler
{
    public const string Queue = "producers.agents";

    public static Func<IChannel, CancellationToken, Task> Declare =>
        global::Agents.Messaging.MessagingServiceCollectionExtensions.QuorumQueue(Queue, Topology.EventsExchange,
            $"*.{EventCategory.ResourceStateEvent}.{EventTypes.AgentState.Replace('.', '-')}.#",
            $"*.{EventCategory.ResourceStateEvent}.{EventTypes.RouterHealthCheck.Replace('.', '-')}.#");

    public async Task<Disposition> HandleAsync(IncomingMessage message, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        var body = message.Read<Dictionary<string, string?>>();
        var e = new CloudStackEvent { Source = "", Category = EventCategory.ResourceStateEvent, Type = "", Description = body };
        var id = EventBody.Required(e, "id");
        var at = EventBody.OptionalTime(e, "changedAt") ?? DateTimeOffset.UtcNow;
        if (message.RoutingKey.Contains(".AGENT-STATE.", StringComparison.Ordinal))
        {
            await directory.RecordAsync(new AgentInfo(id, e["routerId"], EventBody.Required(e, "new-state"), e["agentVersion"], e["address"],
                e["certificateSerial"], e["certificateNotAfter"], e["capabilities"], e["reason"], at), ct).ConfigureAwait(false);
            // a VM's chosen first-boot recipes run once, when its agent is first up (a redelivery finds them claimed)
            if (e["new-state"] == "Up") await firstBoot.OnAgentUpAsync(id, ct).ConfigureAwait(false);
        }
        else
        {
            await directory.RecordAsync(new HealthCheckInfo(id, EventBody.Required(e, "checkName"), e["checkType"],
                e["success"] == "true", e["details"], at), ct).ConfigureAwait(false);
        }
        return Disposition.Ack;
    }
}
