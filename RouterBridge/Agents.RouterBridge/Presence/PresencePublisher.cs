using System.Threading.Channels;
using Agents.Contracts.Events;
using Agents.RouterBridge.Core.Agents;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Agents.Messaging;

namespace Agents.RouterBridge.Presence;

/// <summary>
/// AGENT.STATE ResourceStateEvents when an agent comes up, goes down or misses its heartbeats,
/// with its version, address and certificate expiry. The registry raises them synchronously;
/// they are published with confirms from a queue so a slow broker never stalls a TLS session.
/// </summary>
public sealed class PresencePublisher(
    IOptions<BridgeOptions> options,
    AgentRegistry agents,
    IEventPublisher publisher,
    ILogger<PresencePublisher> logger) : BackgroundService
{
    private readonly Channel<AgentStateChanged> _pending = Channel.CreateBounded<AgentStateChanged>(
        new BoundedChannelOptions(100_000) { FullMode = BoundedChannelFullMode.DropOldest });

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        agents.AgentConnected += presence => Enqueue(presence, AgentStates.Down, AgentStates.Up, null);
        agents.AgentDisconnected += (presence, reason) => Enqueue(presence, AgentStates.Up, AgentStates.Down, reason);
        agents.HeartbeatMissed += presence => Enqueue(presence, AgentStates.Up, AgentStates.Unresponsive, "missed heartbeats");
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
                    await publisher.PublishAsync(change.ToEvent(), stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning("Presence of VM {VmId} ({State}) not published: {Error}", change.VmId, change.NewState, e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    private void Enqueue(AgentPresence presence, string oldState, string newState, string? reason) =>
        _pending.Writer.TryWrite(new AgentStateChanged
        {
            MessageId = Guid.NewGuid(),
            VmId = presence.VmId,
            RouterId = options.Value.RouterId,
            OldState = oldState,
            NewState = newState,
            AgentVersion = presence.AgentVersion,
            Address = presence.RemoteEndPoint?.ToString() ?? "",
            CertificateSerial = presence.CertificateSerial,
            CertificateNotAfter = presence.CertificateNotAfter,
            Capabilities = presence.Capabilities,
            Reason = reason,
            ChangedAt = DateTimeOffset.UtcNow,
        });
}
