using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Agents.Contracts.Protocol;
using Agents.Security.Identity;

namespace Agents.RouterBridge.Core.Agents;

/// <summary>One authenticated agent connection as the bridge sees it. Its holder comes from its certificate, never from a frame.</summary>
public sealed class BridgeSession
{
    // made at the first command: an idle session (most of them, most of the time) holds none
    private ConcurrentDictionary<Guid, TaskCompletionSource<ResultFrame>>? _pending;
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _lifetime = new();

    internal BridgeSession(FrameConnection connection, X509Certificate2 certificate, HolderIdentity holder, HelloFrame hello, EndPoint? remote)
    {
        Connection = connection;
        Certificate = certificate;
        Holder = holder;
        Hello = hello;
        RemoteEndPoint = remote;
    }

    public HolderIdentity Holder { get; }
    public X509Certificate2 Certificate { get; }
    public HelloFrame Hello { get; }
    public EndPoint? RemoteEndPoint { get; }
    public DateTimeOffset ConnectedAt { get; } = DateTimeOffset.UtcNow;
    public DateTimeOffset LastSeen { get; internal set; } = DateTimeOffset.UtcNow;
    public string? CloseReason { get; private set; }
    internal FrameConnection Connection { get; }
    internal CancellationToken Token => _lifetime.Token;

    /// <summary>Completes when the connection is gone.</summary>
    public Task Closed => _closed.Task;

    public AgentPresence Presence => new(Holder.Id, Certificate.SerialNumber, new DateTimeOffset(Certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero),
        RemoteEndPoint, Hello.AgentVersion, Hello.Capabilities, ConnectedAt, LastSeen);

    internal Task<ResultFrame> Expect(Guid commandId) =>
        LazyInitializer.EnsureInitialized(ref _pending).GetOrAdd(commandId, _ => new TaskCompletionSource<ResultFrame>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    internal void Forget(Guid commandId) => _pending?.TryRemove(commandId, out _);

    /// <summary>False for a result nobody waits for (e.g. after an execution timeout); it is dropped.</summary>
    internal bool Complete(ResultFrame result) => _pending is { } pending && pending.TryRemove(result.CommandId, out var waiter) && waiter.TrySetResult(result);

    internal Task SendAsync(Frame frame, CancellationToken ct) => Connection.WriteAsync(frame, ct);

    /// <summary>Closes the connection with a reason the agent sees; safe to call more than once.</summary>
    public async Task CloseAsync(string reason)
    {
        if (_closed.Task.IsCompleted) return;
        CloseReason ??= reason;
        try { await _lifetime.CancelAsync().ConfigureAwait(false); }
        catch (ObjectDisposedException) { }
        await Connection.CloseAsync(reason).ConfigureAwait(false);
    }

    internal void MarkClosed(string reason)
    {
        CloseReason ??= reason;
        _closed.TrySetResult();
        try { _lifetime.Cancel(); }
        catch (ObjectDisposedException) { }
    }
}
