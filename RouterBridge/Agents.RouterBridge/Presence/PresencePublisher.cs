using System.Globalization;
using System.Threading.Channels;
using Agents.Contracts.Events;
using Agents.Messaging.Publishing;
using Agents.RouterBridge.Core.Agents;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Agents.RouterBridge.Presence;

/// <summary>
/// AGENT.STATE ResourceStateEvents when an agent comes up, goes down or misses its heartbeats,
/// with its version, address and certificate expiry. The registry raises them synchronously;
/// they are published with confirms from a queue so a slow broker never stalls a TLS session.
/// </summary>
public sealed class PresencePublisher(
    IOptions<BridgeOptions> options,
    AgentRegistry agents,
    ConfirmingPublisher publisher,
    ILogger<PresencePublisher> logger) : BackgroundService
{
    private readonly Channel<ResourceStateChanged> _pending = Channel.CreateBounded<ResourceStateChanged>(
        new BoundedChannelOptions(100_000) { FullMode = BoundedChannelFullMode.DropOldest });

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        agents.AgentConnected += presence => Enqueue(presence, "Down", "Up", null);
        agents.AgentDisconnected += (presence, reason) => Enqueue(presence, "Up", "Down", reason);
        agents.HeartbeatMissed += presence => Enqueue(presence, "Up", "Unresponsive", "missed heartbeats");
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var change in _pending.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await publisher.PublishEventAsync(change.ToEvent(), stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning("Presence of VM {VmId} ({State}) not published: {Error}", change.ResourceUuid, change.NewState, e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    private void Enqueue(AgentPresence presence, string oldState, string newState, string? reason)
    {
        var details = new Dictionary<string, string>
        {
            ["routerId"] = options.Value.RouterId,
            ["agentVersion"] = presence.AgentVersion,
            ["address"] = presence.RemoteEndPoint?.ToString() ?? "",
            ["certificateSerial"] = presence.CertificateSerial,
            ["certificateNotAfter"] = presence.CertificateNotAfter.ToString("O", CultureInfo.InvariantCulture),
            ["capabilities"] = string.Join(',', presence.Capabilities),
        };
        if (reason is not null) details["reason"] = reason;
        _pending.Writer.TryWrite(new ResourceStateChanged
        {
            MessageId = Guid.NewGuid(),
            EventType = EventTypes.AgentState,
            ResourceType = ResourceTypes.VirtualMachine,
            ResourceUuid = presence.VmId,
            OldState = oldState,
            NewState = newState,
            ChangedAt = DateTimeOffset.UtcNow,
            Details = details,
        });
    }
}
