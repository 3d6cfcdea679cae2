using System.Net;
using System.Security.Cryptography.X509Certificates;
using Agents.Contracts.Protocol;
using Agents.Security.Identity;
using Microsoft.Extensions.Logging;

namespace Agents.RouterBridge.Core.Agents;

/// <summary>
/// A connection with a certificate the handshake accepted: the certificate must name a VM and be
/// authorized (not revoked meanwhile), the first frame must be hello; then the session is
/// registered under that VM and its frames are served until it closes. A session's identity is its
/// certificate's holder, never anything a frame says.
/// </summary>
internal sealed class SessionEndpoint(
    AgentListenerOptions options,
    AgentAuthorizer authorize,
    AgentRegistry registry,
    RenewalRelay renewals,
    Func<FrameConnection, X509Certificate2, string, EndPoint?, Task> refuse,
    ILogger<SessionEndpoint> logger)
{
    public async Task ServeAsync(FrameConnection connection, X509Certificate2 certificate, EndPoint? remote, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(certificate);
        var holder = HolderIdentity.FromCertificate(certificate);
        if (holder is not { Kind: HolderKind.Vm })
        {
            await refuse(connection, certificate, $"the certificate names no VM (certificate {certificate.SerialNumber}: {holder?.Uri ?? "no holder"})", remote).ConfigureAwait(false);
            return;
        }
        if (authorize(certificate, holder) is { } refusal)
        {
            await refuse(connection, certificate, refusal, remote).ConfigureAwait(false);
            return;
        }
        var first = await connection.ReadFirstAsync(options.HandshakeTimeout, ct).ConfigureAwait(false);
        if (first is not HelloFrame hello)
            throw new FrameException($"expected hello, got '{first?.GetType().Name ?? "end of stream"}'");

        var session = new BridgeSession(connection, certificate, holder, hello, remote);
        registry.Register(session);
        var reason = "connection closed by the agent";
        try
        {
            reason = await ServeFramesAsync(session, certificate).ConfigureAwait(false);
        }
        catch (FrameException e)
        {
            reason = e.Message;
            logger.LogWarning("Agent of VM {VmId} sent a bad frame: {Reason}", holder.Id, e.Message);
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

    private async ValueTask<string> ServeFramesAsync(BridgeSession session, X509Certificate2 certificate)
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
                        logger.LogInformation("Late result for command {CommandId} from VM {VmId} dropped (nobody waits for it)", result.CommandId, session.Holder.Id);
                    break;
                case RenewFrame renew:
                    _ = renewals.RenewAsync(session, certificate, renew.CsrPem);
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
}
