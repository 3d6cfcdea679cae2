using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Agents.Contracts;
using Agents.Contracts.Protocol;
using Agents.VmAgent.Core.Handlers;
using Agents.VmAgent.Core.Identity;
using Agents.VmAgent.Core.Logging;
using Agents.VmAgent.Core.Os;

namespace Agents.VmAgent.Core.Client;

/// <summary>
/// The agent's side of the protocol: connect out to the router, enroll once over server-only TLS,
/// then serve commands over mutual TLS, renew before expiry, reconnect with capped full-jitter
/// <see cref="Backoff"/>. Nothing a router sends can crash it: a bad frame ends that connection, not the agent.
/// </summary>
public sealed partial class AgentClient : ICertificateRenewer
{
    private readonly AgentClientOptions _options;
    private readonly Backoff _reconnect;
    private readonly AgentIdentityStore _identity;
    private readonly IAgentLog _log;
    private readonly CommandExecutor _executor;
    private readonly FrameCodec _codec;
    private readonly SemaphoreSlim _renewing = new(1, 1);
    private readonly IdleMemoryTrimmer? _trimmer;
    private AgentSession? _session;
    private CancellationToken _stopping;

    public AgentClient(AgentClientOptions options, AgentIdentityStore identity, IAgentLog log, Func<ICertificateRenewer, CommandExecutor> executorFactory)
    {
        ArgumentNullException.ThrowIfNull(executorFactory);
        _options = options;
        _reconnect = new Backoff(options.InitialBackoff, options.MaxBackoff, jitter: true);
        _identity = identity;
        _log = log;
        _codec = new FrameCodec(options.MaxFrameBytes);
        _executor = executorFactory(this);
        _trimmer = options.TrimIdleMemory ? new IdleMemoryTrimmer(log) : null;
    }

    /// <summary>True while a mutual-TLS session is up.</summary>
    public bool IsConnected => _session is not null;

    /// <summary>Mutual-TLS sessions established so far (tests and health output).</summary>
    public int SessionCount { get; private set; }

    public string? LastError { get; private set; }

    public X509Certificate2? CurrentCertificate => _identity.Load();

    public async Task RunAsync(CancellationToken ct)
    {
        _stopping = ct;
        var failures = 0;
        while (!ct.IsCancellationRequested)
        {
            var outcome = SessionOutcome.Failed;
            try
            {
                foreach (var endpoint in await RouterEndpoints.ResolveAsync(_options, _log, ct).ConfigureAwait(false))
                {
                    outcome = await ConnectOnceAsync(endpoint, ct).ConfigureAwait(false);
                    if (outcome != SessionOutcome.Failed) break;
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            if (outcome == SessionOutcome.ReconnectNow) { failures = 0; continue; }
            if (outcome == SessionOutcome.Served) failures = 0;
            var delay = _reconnect.Delay(failures++);
            _log.Debug("reconnecting in {DelayMs:0} ms", delay.TotalMilliseconds);
            try { await Task.Delay(delay, ct).ConfigureAwait(false); }
            catch (OperationCanceledException) { break; }
        }
    }

    private async Task<SessionOutcome> ConnectOnceAsync(IPEndPoint endpoint, CancellationToken ct)
    {
        using var certificate = _identity.Load();
        SslStream? ssl = null;
        try
        {
            ssl = await ConnectTlsAsync(endpoint, certificate, ct).ConfigureAwait(false);
            var connection = new FrameConnection(ssl, _codec);
            ssl = null;
            await using (connection.ConfigureAwait(false))
            {
                return certificate is null
                    ? await EnrollAsync(connection, endpoint, ct).ConfigureAwait(false)
                    : await ServeAsync(connection, endpoint, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is IOException or SocketException or AuthenticationException or OperationCanceledException or FrameException or InvalidDataException or InvalidOperationException or TimeoutException)
        {
            LastError = $"{endpoint}: {e.Message}";
            _log.Warn(e, "connection to router {Router} failed", endpoint);
            return SessionOutcome.Failed;
        }
        finally
        {
            if (ssl is not null) await ssl.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<SslStream> ConnectTlsAsync(IPEndPoint endpoint, X509Certificate2? certificate, CancellationToken ct)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using (var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                connectTimeout.CancelAfter(_options.ConnectTimeout);
                await socket.ConnectAsync(endpoint, connectTimeout.Token).ConfigureAwait(false);
            }
            var ssl = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
            socket = null;
            var tls = new SslClientAuthenticationOptions
            {
                TargetHost = _options.TlsServerName,
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                RemoteCertificateValidationCallback = (_, cert, _, _) => ValidateRouter(cert),
                ClientCertificateContext = certificate is null ? null : SslStreamCertificateContext.Create(certificate, null, offline: true),
            };
            using var handshakeTimeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            handshakeTimeout.CancelAfter(_options.HandshakeTimeout);
            try
            {
                await ssl.AuthenticateAsClientAsync(tls, handshakeTimeout.Token).ConfigureAwait(false);
            }
            catch
            {
                await ssl.DisposeAsync().ConfigureAwait(false);
                throw;
            }
            return ssl;
        }
        finally
        {
            socket?.Dispose();
        }
    }

    private bool ValidateRouter(X509Certificate? presented)
    {
        // SslStream hands us an X509Certificate2 it owns: look, do not dispose
        var error = _identity.Trust.RouterCertificateError(presented as X509Certificate2);
        if (error is not null) _log.Warn("router certificate refused: {Reason}", error);
        return error is null;
    }

    private enum SessionOutcome { Failed, Served, ReconnectNow }
}
