using System.Net;
using Agents.Contracts.Protocol;
using Agents.VmAgent.Core.Logging;

namespace Agents.VmAgent.Core.Client;

public sealed partial class AgentClient
{
    private async Task<SessionOutcome> ServeAsync(FrameConnection connection, IPEndPoint endpoint, CancellationToken ct)
    {
        using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var session = new AgentSession(connection, lifetime);
        await connection.WriteAsync(new HelloFrame(HelloFrame.CurrentProtocolVersion, _options.AgentVersion, _executor.Capabilities,
            Environment.OSVersion.Platform.ToString(), Environment.MachineName), ct).ConfigureAwait(false);
        _session = session;
        SessionCount++;
        _log.Info("connected to router {Router} with mutual TLS", endpoint);
        var heartbeats = HeartbeatLoopAsync(session);
        var renewal = RenewalLoopAsync(session);
        _trimmer?.Active();
        var trimming = _trimmer?.RunAsync(session.Token) ?? Task.CompletedTask;
        try
        {
            await ReadLoopAsync(session).ConfigureAwait(false);
        }
        catch (FrameException e)
        {
            LastError = $"bad frame from router: {e.Message}";
            _log.Warn("closing connection to {Router}: {Error}", endpoint, LastError);
            await connection.CloseAsync(e.Message).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // the session ended on purpose: silent router, renewal, or reconnect request
        }
        catch (IOException e)
        {
            LastError = $"connection to {endpoint} lost: {e.Message}";
            _log.Warn("{Error}", LastError);
        }
        finally
        {
            _session = null;
            session.End();
            session.PendingRenewal?.TrySetCanceled(CancellationToken.None);
            await Task.WhenAll(heartbeats, renewal, trimming).ConfigureAwait(false);
        }
        ct.ThrowIfCancellationRequested();
        return session.ReconnectRequested ? SessionOutcome.ReconnectNow : SessionOutcome.Served;
    }

    private async Task ReadLoopAsync(AgentSession session)
    {
        while (true)
        {
            var frame = await session.Connection.ReadAsync(session.Token).ConfigureAwait(false);
            session.LastReceived = DateTimeOffset.UtcNow;
            switch (frame)
            {
                case null:
                    LastError = "router closed the connection";
                    _log.Info("{Error}", LastError);
                    return;
                case HeartbeatFrame:
                    break;
                case CommandFrame command:
                    session.CommandStarted();
                    _trimmer?.Active();
                    _ = RunCommandAsync(session, command);
                    break;
                case RenewedFrame or RenewRefusedFrame:
                    if (session.PendingRenewal?.TrySetResult(frame) != true) throw new FrameException("a renewal answer nobody asked for");
                    break;
                case RekeyFrame rekey:
                    _ = RenewInBackgroundAsync(rekey.Reconnect, "the router asked for a new key");
                    break;
                case ErrorFrame error:
                    LastError = $"router closed the connection: {error.Reason}";
                    _log.Warn("{Error}", LastError);
                    return;
                default:
                    throw new FrameException($"a '{frame.GetType().Name}' frame is not valid from a router");
            }
        }
    }

    private async Task RunCommandAsync(AgentSession session, CommandFrame command)
    {
        // the command's trace (from the frame's traceparent) on each of its lines; no tracing library in the agent
        var log = _log.WithTrace(command.TraceId);
        try
        {
            log.Info("command {CommandId} (job {JobId}, {CommandType}) received", command.CommandId, command.JobId, command.Type);
            // the agent's lifetime, not the session's: a command finishes and is journaled even if the connection drops
            var result = await _executor.ExecuteAsync(command, _stopping).ConfigureAwait(false);
            try
            {
                // the trace goes back with the result (a stored result of a redelivery answers under the redelivery's trace)
                await session.Connection.WriteAsync(result with { TraceParent = command.TraceParent }, session.Token).ConfigureAwait(false);
                log.Info("command {CommandId} (job {JobId}) answered {Outcome}", command.CommandId, command.JobId, result.Outcome);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or NotSupportedException)
            {
                log.Warn("result of command {CommandId} not sent (connection gone); it is journaled and answers the redelivery", command.CommandId);
            }
        }
        catch (OperationCanceledException)
        {
            // the agent is stopping
        }
        catch (Exception e)
        {
            // the journal could not be written: answer nothing, the bridge's execution timeout reports it
            log.Error(e, "command {CommandId} could not be processed", command.CommandId);
        }
        finally
        {
            session.CommandFinished();
            _trimmer?.Active();
        }
    }

    private async Task HeartbeatLoopAsync(AgentSession session)
    {
        var interval = _options.HeartbeatInterval;
        try
        {
            while (!session.Token.IsCancellationRequested)
            {
                await Task.Delay(interval, session.Token).ConfigureAwait(false);
                if (DateTimeOffset.UtcNow - session.LastReceived > interval * 3)
                {
                    LastError = $"router silent for {(interval * 3).TotalSeconds:0} s";
                    _log.Warn("{Error}", LastError);
                    session.End();
                    await session.Connection.DisposeAsync().ConfigureAwait(false);
                    return;
                }
                await session.Connection.WriteAsync(new HeartbeatFrame(DateTimeOffset.UtcNow), session.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or NotSupportedException)
        {
            // the session is over; the read loop reports why
        }
    }
}
