using Agents.Contracts;
using Agents.Contracts.Events;
using Agents.Messaging.Consuming;
using Agents.Messaging;

namespace Agents.Producers.Presence;

/// <summary>Keeps <see cref="IAgentDirectory"/> current from the bridges' AGENT.STATE and ROUTER.HEALTHCHECK ResourceStateEvents.</summary>
public sealed class AgentStateHandler(IAgentDirectory directory, Jobs.FirstBootRunner firstBoot) : IMessageHandler
{
    public const string Queue = "producers.agents";

    public static QueueDeclaration Declare =>
        QueueDeclaration.Quorum(Queue, Topology.EventsExchange,
            EventRoutingKey.Build("*", EventCategory.ResourceStateEvent, EventTypes.AgentState, "*", "*"),
            EventRoutingKey.Build("*", EventCategory.ResourceStateEvent, EventTypes.RouterHealthCheck, "*", "*"));

    public async Task<Disposition> HandleAsync(IncomingMessage message, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        var e = message.ReadEvent();
        if (AgentStateChanged.FromEvent(e) is { } agent)
        {
            await directory.RecordAsync(new AgentInfo(agent.VmId, agent.RouterId, agent.NewState, agent.AgentVersion, agent.Address,
                agent.CertificateSerial, agent.CertificateNotAfter?.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                string.Join(',', agent.Capabilities), agent.Reason, agent.ChangedAt), ct).ConfigureAwait(false);
            // a VM's chosen first-boot recipes run once, when its agent is first up (a redelivery finds them claimed)
            if (agent.NewState == "Up") await firstBoot.OnAgentUpAsync(agent.VmId, ct).ConfigureAwait(false);
        }
        else if (RouterHealthChecked.FromEvent(e) is { } check)
        {
            await directory.RecordAsync(new HealthCheckInfo(check.RouterId, check.Result.CheckName, check.Result.CheckType.ToString(),
                check.Result.Success, check.Result.Details, check.Result.LastUpdated), ct).ConfigureAwait(false);
        }
        return Disposition.Ack;
    }
}
