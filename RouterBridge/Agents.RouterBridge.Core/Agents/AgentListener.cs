using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Agents.Security.Identity;
using Agents.Security.Tls;
using Agents.VmAgent.Core.Logging;
using Agents.VmAgent.Core.Protocol;

namespace Agents.RouterBridge.Core.Agents;

/// <summary>
/// The TLS endpoint agents connect to: dual-stack, async all the way (no thread per connection).
/// The TLS options (certificate, client-certificate policy, chain and revocation checks) come from
/// the mutual-TLS kit; this class adds the protocol rules: a session's identity is its
/// certificate's holder, and a connection without a certificate may only enroll.
/// </summary>
public sealed class AgentListener(
    AgentListenerOptions options,
    SslServerAuthenticationOptions tls,
    AgentAuthorizer authorize,
    IEnrollmentRelay enrollment,
    AgentRegistry registry,
    IAgentLog log) : IAsyncDisposable
{
    private readonly FrameCodec _codec = new(options.MaxFrameBytes);
    private readonly CancellationTokenSource _stopping = new();
    private Socket? _socket;
    private Task? _acceptLoop;
    private Task? _reaper;

    public IPEndPoint LocalEndPoint => (IPEndPoint)(_socket?.LocalEndPoint ?? throw new InvalidOperationException("not started"));

    public AgentRegistry Registry => registry;

    /// <summary>
    /// A connection was refused for its certificate: untrusted (an impostor), revoked, expired,
    /// missing under strictness, or naming no VM. Raised synchronously on the connection's task,
    /// with the caller's address; garbage that never completes a handshake is only logged.
    /// </summary>
    public event Action<PeerRefusal, EndPoint?>? ConnectionRefused;

    public void Start()
    {
        if (_socket is not null) throw new InvalidOperationException("already started");
        var socket = new Socket(options.Address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (options.Address.AddressFamily == AddressFamily.InterNetworkV6 && options.Address.Equals(IPAddress.IPv6Any)) socket.DualMode = true;
            socket.Bind(new IPEndPoint(options.Address, options.Port));
            socket.Listen(options.Backlog);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        _socket = socket;
        _acceptLoop = AcceptLoopAsync(socket, _stopping.Token);
        _reaper = ReapLoopAsync(_stopping.Token);
        log.Info($"agent listener on {socket.LocalEndPoint}");
    }

    private async Task AcceptLoopAsync(Socket listener, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) { return; }
            catch (ObjectDisposedException) { return; }
            catch (SocketException e)
            {
                // e.g. too many open files: log, breathe, keep accepting
                log.Warn("accept failed", e);
                await Task.Delay(100, CancellationToken.None).ConfigureAwait(false);
                continue;
            }
            _ = HandleConnectionAsync(client, ct);
        }
    }

    private async Task HandleConnectionAsync(Socket client, CancellationToken ct)
    {
        var remote = client.RemoteEndPoint;
        client.NoDelay = true;
        var ssl = new CheckedSslStream(new NetworkStream(client, ownsSocket: true), leaveInnerStreamOpen: false);
        var connection = new FrameConnection(ssl, _codec);
        try
        {
            using (var handshake = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                handshake.CancelAfter(options.HandshakeTimeout);
                await ssl.AuthenticateAsServerAsync(tls, handshake.Token).ConfigureAwait(false);
            }
            if (ssl.RemoteCertificate is null)
            {
                await AnonymousAsync(connection, remote, ct).ConfigureAwait(false);
                return;
            }
            var certificate = ssl.RemoteCertificate as X509Certificate2 ?? throw new AuthenticationException("unexpected certificate type");
            await AuthenticatedAsync(connection, certificate, remote, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            log.Warn($"connection from {remote} closed: TLS handshake or first frame took longer than {options.HandshakeTimeout.TotalSeconds:0} s");
        }
        catch (FrameException e)
        {
            log.Warn($"connection from {remote} closed: {e.Message}");
            await connection.CloseAsync(e.Message).ConfigureAwait(false);
        }
        catch (AuthenticationException) when (ssl.Refusal is { } refusal)
        {
            Refused(refusal, remote);
        }
        catch (Exception e) when (e is IOException or AuthenticationException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            log.Warn($"connection from {remote} closed: {e.Message}");
        }
        catch (Exception e)
        {
            // one connection's bug must never take the listener down
            log.Error($"connection from {remote} failed unexpectedly", e);
        }
        finally
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>No client certificate: one enroll frame, one answer, close.</summary>
    private async Task AnonymousAsync(FrameConnection connection, EndPoint? remote, CancellationToken ct)
    {
        var frame = await ReadFirstFrameAsync(connection, ct).ConfigureAwait(false);
        if (frame is not EnrollFrame enroll)
        {
            log.Warn($"connection from {remote} without a certificate sent '{frame?.GetType().Name ?? "nothing"}': only enroll is allowed");
            await connection.CloseAsync("without a client certificate only enroll is allowed").ConfigureAwait(false);
            return;
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.EnrollmentTimeout);
        EnrollmentAnswer answer;
        try
        {
            answer = await enrollment.EnrollAsync(enroll.Token, enroll.CsrPem, remote, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            log.Warn($"enrollment from {remote} could not be relayed", e);
            answer = EnrollmentAnswer.Refused("the certificate authority could not be reached; try again");
        }
        // the token is never logged
        log.Info(answer.IsIssued ? $"enrollment from {remote} issued" : $"enrollment from {remote} refused: {answer.RefusalReason}");
        Frame reply = answer.IsIssued
            ? new EnrolledFrame(answer.CertificatePem!, answer.CaCertificatePem ?? "")
            : new EnrollRefusedFrame(answer.RefusalReason ?? "refused");
        await connection.WriteAsync(reply, ct).ConfigureAwait(false);
    }

    private async Task AuthenticatedAsync(FrameConnection connection, X509Certificate2 certificate, EndPoint? remote, CancellationToken ct)
    {
        var holder = HolderIdentity.FromCertificate(certificate);
        if (holder is not { Kind: HolderKind.Vm })
        {
            await RefuseAsync(connection, certificate, $"the certificate names no VM (certificate {certificate.SerialNumber}: {holder?.Uri ?? "no holder"})", remote).ConfigureAwait(false);
            return;
        }
        if (authorize(certificate, holder) is { } refusal)
        {
            await RefuseAsync(connection, certificate, refusal, remote).ConfigureAwait(false);
            return;
        }
        var first = await ReadFirstFrameAsync(connection, ct).ConfigureAwait(false);
        if (first is not HelloFrame hello)
            throw new FrameException($"expected hello, got '{first?.GetType().Name ?? "end of stream"}'");

        var session = new BridgeSession(connection, certificate, holder, hello, remote);
        registry.Register(session);
        var reason = "connection closed by the agent";
        try
        {
            reason = await SessionLoopAsync(session, certificate).ConfigureAwait(false);
        }
        catch (FrameException e)
        {
            reason = e.Message;
            log.Warn($"agent of VM {holder.Id} sent a bad frame: {e.Message}");
            await connection.CloseAsync(e.Message).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            reason = session.CloseReason ?? e.Message;
        }
        finally
        {
            registry.Unregister(session, session.CloseReason ?? reason);
        }
    }

    /// <summary>A certificate the handshake accepted but the protocol does not: said to the peer, then closed.</summary>
    private async Task RefuseAsync(FrameConnection connection, X509Certificate2 certificate, string reason, EndPoint? remote)
    {
        Refused(PeerRefusal.Of(reason, certificate), remote);
        await connection.CloseAsync(reason).ConfigureAwait(false);
    }

    private void Refused(PeerRefusal refusal, EndPoint? remote)
    {
        var claimed = refusal.ClaimedHolder is { } holder ? $" claiming {holder}" : "";
        log.Warn($"connection from {remote}{claimed} refused: {refusal.Reason}");
        try
        {
            ConnectionRefused?.Invoke(refusal, remote);
        }
        catch (Exception e)
        {
            // a subscriber's bug must not turn a refusal into an unexpected connection failure
            log.Error($"reporting the refusal of {remote} failed", e);
        }
    }

    private async Task<Frame?> ReadFirstFrameAsync(FrameConnection connection, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.HandshakeTimeout);
        return await connection.ReadAsync(timeout.Token).ConfigureAwait(false);
    }

    private async ValueTask<string> SessionLoopAsync(BridgeSession session, X509Certificate2 certificate)
    {
        while (true)
        {
            var frame = await session.Connection.ReadAsync(session.Token).ConfigureAwait(false);
            session.LastSeen = DateTimeOffset.UtcNow;
            switch (frame)
            {
                case null:
                    return "connection closed by the agent";
                case HeartbeatFrame:
                    await session.SendAsync(new HeartbeatFrame(DateTimeOffset.UtcNow), session.Token).ConfigureAwait(false);
                    break;
                case ResultFrame result:
                    if (!session.Complete(result))
                        log.Info($"late result for command {result.CommandId} from VM {session.Holder.Id} dropped (nobody waits for it)");
                    break;
                case RenewFrame renew:
                    _ = RenewAsync(session, certificate, renew.CsrPem);
                    break;
                case ErrorFrame error:
                    return $"agent closed the connection: {error.Reason}";
                case HelloFrame:
                    break;
                default:
                    throw new FrameException($"a '{frame.GetType().Name}' frame is not valid from an agent");
            }
        }
    }

    private async Task RenewAsync(BridgeSession session, X509Certificate2 current, string csrPem)
    {
        Frame reply;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(session.Token);
            timeout.CancelAfter(options.EnrollmentTimeout);
            var answer = await enrollment.RenewAsync(current, csrPem, timeout.Token).ConfigureAwait(false);
            reply = answer.IsIssued ? new RenewedFrame(answer.CertificatePem!, answer.CaCertificatePem ?? "") : new RenewRefusedFrame(answer.RefusalReason ?? "refused");
            log.Info(answer.IsIssued ? $"renewal for VM {session.Holder.Id} issued" : $"renewal for VM {session.Holder.Id} refused: {answer.RefusalReason}");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            log.Warn($"renewal for VM {session.Holder.Id} could not be relayed", e);
            reply = new RenewRefusedFrame("the certificate authority could not be reached; try again");
        }
        try
        {
            await session.SendAsync(reply, session.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // the session ended meanwhile; the agent asks again after reconnecting
        }
    }

    private int _disposed;

    private async Task ReapLoopAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(options.HeartbeatTimeout / 3);
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false)) registry.ReapSilent(options.HeartbeatTimeout);
        }
        catch (OperationCanceledException) { }
    }

    public async ValueTask DisposeAsync()
    {
        // the host stops the listener, then disposes the container that holds it: the second call is a no-op
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _stopping.CancelAsync().ConfigureAwait(false);
        _socket?.Dispose();
        if (_acceptLoop is not null) await _acceptLoop.ConfigureAwait(false);
        if (_reaper is not null) await _reaper.ConfigureAwait(false);
        foreach (var presence in registry.Snapshot())
            registry.Disconnect(HolderIdentity.Vm(presence.VmId), "bridge stopping");
        _stopping.Dispose();
    }
}
