using System.Collections.Concurrent;
using Agents.Contracts.Protocol;
using Agents.Security.Identity;
using Microsoft.Extensions.Logging;

namespace Agents.RouterBridge.Core.Agents;

/// <summary>
/// The live agent sessions by VM id, and the command relay. The key is the VM id named by the
/// session's certificate, so a command for VM X can only ever be written to a session whose
/// certificate names X.
/// </summary>
public sealed class AgentRegistry(ILogger<AgentRegistry> logger)
{
    private readonly ConcurrentDictionary<string, BridgeSession> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<BridgeSession>> _arrivals = new(StringComparer.Ordinal);

    public event Action<AgentPresence>? AgentConnected;
    public event Action<AgentPresence, string>? AgentDisconnected;
    public event Action<AgentPresence>? HeartbeatMissed;

    public int Count => _sessions.Count;

    public IReadOnlyList<AgentPresence> Snapshot() => _sessions.Values.Select(s => s.Presence).ToList();

    public bool IsConnected(string vmId) => _sessions.ContainsKey(vmId);

    /// <summary>
    /// Relays one command: waits up to <paramref name="deliveryTimeout"/> for the VM's agent to be
    /// connected (DeliveryTimedOut), then up to <paramref name="executionTimeout"/> for its result
    /// (ExecutionTimedOut). If the agent reconnects meanwhile the command is sent again; the agent's
    /// journal answers a repeat with the first result, so it never runs twice.
    /// </summary>
    public async Task<ResultFrame> SendCommandAsync(string vmId, CommandFrame command, TimeSpan deliveryTimeout, TimeSpan executionTimeout, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (!HolderIdentity.IsSafeId(vmId)) throw new ArgumentException($"'{vmId}' is not a valid VM id", nameof(vmId));

        var deliveryDeadline = DateTimeOffset.UtcNow + deliveryTimeout;
        DateTimeOffset? executionDeadline = null;
        while (true)
        {
            var deadline = executionDeadline ?? deliveryDeadline;
            var session = await WaitForSessionAsync(vmId, deadline - DateTimeOffset.UtcNow, ct).ConfigureAwait(false);
            if (session is null) return executionDeadline is null ? ResultFrame.DeliveryTimedOut(command.CommandId) : ResultFrame.ExecutionTimedOut(command.CommandId);
            // belt and braces: the registry key came from this certificate, check it again before writing
            if (session.Holder.Kind != HolderKind.Vm || session.Holder.Id != vmId)
                throw new InvalidOperationException($"session for {session.Holder} registered under {vmId}");

            var result = session.Expect(command.CommandId);
            try
            {
                await session.SendAsync(command, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or NotSupportedException or InvalidOperationException)
            {
                session.Forget(command.CommandId);
                logger.LogWarning("Command {CommandId} (job {JobId}) could not be written to VM {VmId}: {Error}", command.CommandId, command.JobId, vmId, e.Message);
                await session.CloseAsync("write failed").ConfigureAwait(false);
                continue;
            }
            executionDeadline ??= DateTimeOffset.UtcNow + executionTimeout;
            logger.LogInformation("Command {CommandId} (job {JobId}, {CommandType}) delivered to VM {VmId}", command.CommandId, command.JobId, command.Type, vmId);

            var remaining = executionDeadline.Value - DateTimeOffset.UtcNow;
            var finished = await Task.WhenAny(result, session.Closed, Task.Delay(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, ct)).ConfigureAwait(false);
            if (finished == result) return await result.ConfigureAwait(false);
            session.Forget(command.CommandId);
            ct.ThrowIfCancellationRequested();
            if (finished != session.Closed) return ResultFrame.ExecutionTimedOut(command.CommandId);
            logger.LogWarning("VM {VmId} disconnected while command {CommandId} ran; waiting for it to come back", vmId, command.CommandId);
        }
    }

    /// <summary>Closes every session whose certificate has this serial (revocation). Returns how many.</summary>
    public int Disconnect(string certificateSerial, string reason = "certificate revoked") =>
        CloseWhere(s => string.Equals(s.Certificate.SerialNumber, certificateSerial, StringComparison.OrdinalIgnoreCase), reason);

    public int Disconnect(HolderIdentity holder, string reason = "disconnected by the bridge") =>
        CloseWhere(s => s.Holder == holder, reason);

    private int CloseWhere(Func<BridgeSession, bool> match, string reason)
    {
        var victims = _sessions.Values.Where(match).ToList();
        foreach (var session in victims)
        {
            Unregister(session, reason);
            _ = session.CloseAsync(reason);
        }
        return victims.Count;
    }

    private async Task<BridgeSession?> WaitForSessionAsync(string vmId, TimeSpan timeout, CancellationToken ct)
    {
        while (true)
        {
            if (_sessions.TryGetValue(vmId, out var live) && !live.Closed.IsCompleted) return live;
            if (timeout <= TimeSpan.Zero) return null;
            var arrival = _arrivals.GetOrAdd(vmId, _ => new TaskCompletionSource<BridgeSession>(TaskCreationOptions.RunContinuationsAsynchronously));
            // registered between the check and the wait: look again
            if (_sessions.TryGetValue(vmId, out live) && !live.Closed.IsCompleted) return live;
            var started = DateTimeOffset.UtcNow;
            try
            {
                return await arrival.Task.WaitAsync(timeout, ct).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return null;
            }
            finally
            {
                timeout -= DateTimeOffset.UtcNow - started;
            }
        }
    }

    internal void Register(BridgeSession session)
    {
        var vmId = session.Holder.Id;
        BridgeSession? previous = null;
        _sessions.AddOrUpdate(vmId, session, (_, old) => { previous = old; return session; });
        if (previous is not null && !ReferenceEquals(previous, session))
            _ = previous.CloseAsync("replaced by a newer connection of the same VM");
        if (_arrivals.TryRemove(vmId, out var waiting)) waiting.TrySetResult(session);
        logger.LogInformation("agent of VM {VmId} up from {Remote} (version {AgentVersion}, certificate {Serial})",
            vmId, session.RemoteEndPoint, session.Hello.AgentVersion, session.Certificate.SerialNumber);
        AgentConnected?.Invoke(session.Presence);
    }

    internal void Unregister(BridgeSession session, string reason)
    {
        session.MarkClosed(reason);
        if (!((ICollection<KeyValuePair<string, BridgeSession>>)_sessions).Remove(new KeyValuePair<string, BridgeSession>(session.Holder.Id, session))) return;
        logger.LogInformation("agent of VM {VmId} down: {Reason}", session.Holder.Id, reason);
        AgentDisconnected?.Invoke(session.Presence, reason);
    }

    /// <summary>Closes sessions silent for longer than <paramref name="timeout"/>, reporting each as missing heartbeats.</summary>
    internal void ReapSilent(TimeSpan timeout)
    {
        var now = DateTimeOffset.UtcNow;
        foreach (var session in _sessions.Values.Where(s => now - s.LastSeen > timeout).ToList())
        {
            logger.LogWarning("agent of VM {VmId} missed its heartbeats (silent since {LastSeen:O})", session.Holder.Id, session.LastSeen);
            HeartbeatMissed?.Invoke(session.Presence);
            Unregister(session, "heartbeats missed");
            _ = session.CloseAsync("heartbeats missed");
        }
    }
}
