using Agents.Contracts.Protocol;

namespace Agents.VmAgent.Core.Client;

/// <summary>One live mutual-TLS connection to the router, as seen by the agent.</summary>
internal sealed class AgentSession(FrameConnection connection, CancellationTokenSource lifetime)
{
    private int _inFlight;
    private volatile bool _reconnectRequested;

    public FrameConnection Connection => connection;
    public CancellationToken Token => lifetime.Token;
    public TaskCompletionSource<Frame>? PendingRenewal { get; set; }
    public DateTimeOffset LastReceived { get; set; } = DateTimeOffset.UtcNow;
    public bool ReconnectRequested => _reconnectRequested;

    public void CommandStarted() => Interlocked.Increment(ref _inFlight);

    public void CommandFinished()
    {
        if (Interlocked.Decrement(ref _inFlight) == 0 && _reconnectRequested) End();
    }

    /// <summary>Ends the session once no command is in flight (their results go out first).</summary>
    public void RequestReconnect()
    {
        _reconnectRequested = true;
        if (Volatile.Read(ref _inFlight) == 0) End();
    }

    public void End()
    {
        try { lifetime.Cancel(); }
        catch (ObjectDisposedException) { }
    }
}
