using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Agents.Contracts.Protocol;
using Agents.Security.Identity;
using Agents.Security.Tls;
using Microsoft.Extensions.Logging;

namespace Agents.RouterBridge.Core.Agents;

/// <summary>
/// The TLS endpoint agents connect to: the accept loop and the handshake, dual-stack, async all the
/// way (no thread per connection). The TLS options (certificate, client-certificate policy, chain
/// and revocation checks) come from the mutual-TLS kit; after the handshake a connection without a
/// certificate (admitted by the handshake even under strictness, AnonymousEnrollment) goes to
/// <see cref="EnrollmentEndpoint"/> and may only enroll, one with a certificate to
/// <see cref="SessionEndpoint"/>. Silent sessions are closed by <see cref="SessionReaper"/>.
/// </summary>
public sealed class AgentListener : IAsyncDisposable
{
    private readonly AgentListenerOptions _options;
    private readonly SslServerAuthenticationOptions _tls;
    private readonly AgentRegistry _registry;
    private readonly ILogger<AgentListener> _logger;
    private readonly FrameCodec _codec;
    private readonly EnrollmentEndpoint _enrollment;
    private readonly SessionEndpoint _sessions;
    private readonly SessionReaper _reaper;
    /// <summary>After a burst of reconnects, the handshakes' garbage is given back rather than kept resident.</summary>
    private readonly HandshakeBurstCompactor _compactor;
    private readonly CancellationTokenSource _stopping = new();
    private Socket? _socket;
    private Task? _acceptLoop;
    private int _disposed;
    private int _buffersNoted;

    public AgentListener(AgentListenerOptions options, SslServerAuthenticationOptions tls, AgentAuthorizer authorize,
        IEnrollmentRelay enrollment, AgentRegistry registry, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        _options = options;
        _tls = tls;
        ArgumentNullException.ThrowIfNull(tls);
        // during each handshake, before the certificate check: the session's OpenSSL buffers are freed whenever it is idle
        var check = tls.RemoteCertificateValidationCallback;
        tls.RemoteCertificateValidationCallback = (sender, certificate, chain, errors) =>
        {
            if (sender is SslStream stream) ReleaseBuffersWhenIdle(stream);
            return check is null ? errors == SslPolicyErrors.None : check(sender, certificate, chain, errors);
        };
        _registry = registry;
        _logger = loggers.CreateLogger<AgentListener>();
        _codec = new FrameCodec(options.MaxFrameBytes);
        _enrollment = new EnrollmentEndpoint(options, enrollment, loggers.CreateLogger<EnrollmentEndpoint>());
        _sessions = new SessionEndpoint(options, authorize, registry, new RenewalRelay(options, enrollment, loggers.CreateLogger<RenewalRelay>()),
            Refuse, loggers.CreateLogger<SessionEndpoint>());
        _reaper = new SessionReaper(registry, options.HeartbeatTimeout);
        _compactor = new HandshakeBurstCompactor(_logger);
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)(_socket?.LocalEndPoint ?? throw new InvalidOperationException("not started"));

    public AgentRegistry Registry => _registry;

    /// <summary>
    /// A connection was refused for its certificate: untrusted (an impostor), revoked, expired,
    /// missing under strictness, or naming no VM. Raised synchronously on the connection's task,
    /// with the caller's address; garbage that never completes a handshake is only logged.
    /// </summary>
    public event Action<PeerRefusal, EndPoint?>? ConnectionRefused;

    public void Start()
    {
        if (_socket is not null) throw new InvalidOperationException("already started");
        var socket = new Socket(_options.Address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (_options.Address.AddressFamily == AddressFamily.InterNetworkV6 && _options.Address.Equals(IPAddress.IPv6Any)) socket.DualMode = true;
            socket.Bind(new IPEndPoint(_options.Address, _options.Port));
            socket.Listen(_options.Backlog);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        _socket = socket;
        _acceptLoop = AcceptLoopAsync(socket, _stopping.Token);
        _reaper.Start(_stopping.Token);
        _compactor.Start(_stopping.Token);
        _logger.LogInformation("Agent listener on {Endpoint}", socket.LocalEndPoint);
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
                _logger.LogWarning(e, "Accept failed");
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
                handshake.CancelAfter(_options.HandshakeTimeout);
                try
                {
                    await ssl.AuthenticateAsServerAsync(_tls, handshake.Token).ConfigureAwait(false);
                }
                finally
                {
                    // refused and failed ones too: their garbage is the same
                    _compactor.HandshakeDone();
                }
            }
            if (ssl.RemoteCertificate is null)
            {
                // the one exception to strictness: an enrollment with a valid one-time token; under it, anything else is a refusal
                await _enrollment.ServeAsync(connection, remote, notEnrolled =>
                {
                    if (_options.Strict()) Refused(PeerRefusal.Of($"{MutualTls.NoCertificate} and no valid enrollment: {notEnrolled}", null), remote);
                }, ct).ConfigureAwait(false);
                return;
            }
            var certificate = ssl.RemoteCertificate as X509Certificate2 ?? throw new AuthenticationException("unexpected certificate type");
            await _sessions.ServeAsync(connection, certificate, remote, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            _logger.LogWarning("Connection from {Remote} closed: TLS handshake or first frame took longer than {Seconds:0} s",
                remote, _options.HandshakeTimeout.TotalSeconds);
        }
        catch (FrameException e)
        {
            _logger.LogWarning("Connection from {Remote} closed: {Reason}", remote, e.Message);
            await connection.CloseAsync(e.Message).ConfigureAwait(false);
        }
        catch (AuthenticationException) when (ssl.Refusal is { } refusal)
        {
            Refused(refusal, remote);
        }
        catch (Exception e) when (e is IOException or AuthenticationException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            _logger.LogWarning("Connection from {Remote} closed: {Reason}", remote, e.Message);
        }
        catch (Exception e)
        {
            // one connection's bug must never take the listener down
            _logger.LogError(e, "Connection from {Remote} failed unexpectedly", remote);
        }
        finally
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void ReleaseBuffersWhenIdle(SslStream stream)
    {
        var released = OpenSslBuffers.Release(stream);
        if (Interlocked.Exchange(ref _buffersNoted, 1) == 0)
            _logger.LogInformation(released
                ? "OpenSSL frees each idle agent connection's record buffers (SSL_MODE_RELEASE_BUFFERS)"
                : "OpenSSL keeps each agent connection's record buffers (SSL_MODE_RELEASE_BUFFERS does not apply on this platform)");
    }

    /// <summary>A certificate the handshake accepted but the protocol does not: said to the peer, then closed.</summary>
    private async Task Refuse(FrameConnection connection, X509Certificate2 certificate, string reason, EndPoint? remote)
    {
        Refused(PeerRefusal.Of(reason, certificate), remote);
        await connection.CloseAsync(reason).ConfigureAwait(false);
    }

    private void Refused(PeerRefusal refusal, EndPoint? remote)
    {
        var claimed = refusal.ClaimedHolder is { } holder ? $" claiming {holder}" : "";
        _logger.LogWarning("Connection from {Remote}{Claimed} refused: {Reason}", remote, claimed, refusal.Reason);
        try
        {
            ConnectionRefused?.Invoke(refusal, remote);
        }
        catch (Exception e)
        {
            // a subscriber's bug must not turn a refusal into an unexpected connection failure
            _logger.LogError(e, "Reporting the refusal of {Remote} failed", remote);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // the host stops the listener, then disposes the container that holds it: the second call is a no-op
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _stopping.CancelAsync().ConfigureAwait(false);
        _socket?.Dispose();
        if (_acceptLoop is not null) await _acceptLoop.ConfigureAwait(false);
        await _reaper.StopAsync().ConfigureAwait(false);
        await _compactor.StopAsync().ConfigureAwait(false);
        _enrollment.Dispose();
        foreach (var presence in _registry.Snapshot())
            _registry.Disconnect(HolderIdentity.Vm(presence.VmId), "bridge stopping");
        _stopping.Dispose();
    }
}
