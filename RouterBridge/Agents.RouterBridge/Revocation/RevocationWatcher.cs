using Agents.Contracts;
using Agents.Contracts.Events;
using Agents.Messaging.Consuming;
using Agents.RouterBridge.Core.Agents;
using Agents.RouterBridge.Hosting;
using Microsoft.Extensions.Logging;
using Agents.Messaging;

namespace Agents.RouterBridge.Revocation;

/// <summary>
/// Listens for CA.CERTIFICATE.REVOKE events: the serial joins the revoked set (refused at the
/// next handshake) and any live session with that certificate is closed at once.
/// </summary>
public sealed class RevocationWatcher(AgentTls tls, AgentRegistry agents, ILogger<RevocationWatcher> logger) : IMessageHandler
{
    public const string Binding = "*.ActionEvent.CA-CERTIFICATE-REVOKE.#";

    public static string QueueFor(string routerId) => $"{Topology.RouterQueue(routerId)}.revocations";

    /// <summary>Durable but self-expiring: revocations published while the bridge restarts are not missed; a removed router leaves nothing behind.</summary>
    public static QueueDeclaration Declare(string routerId) =>
        QueueDeclaration.Expiring(QueueFor(routerId), QueueDeclaration.InstanceQueueExpiry, Topology.EventsExchange, Binding);

    public Task<Disposition> HandleAsync(IncomingMessage message, CancellationToken ct)
    {
        // unreadable now means unreadable forever: InvalidEventException dead-letters it instead of redelivering it without end
        var revoked = CertificateChanged.FromEvent(message.ReadEvent());
        tls.Revoke(revoked.SerialNumber);
        var closed = agents.Disconnect(revoked.SerialNumber, "certificate revoked");
        logger.LogWarning("Certificate {Serial} ({Holder}) revoked: {Closed} session(s) closed", revoked.SerialNumber, revoked.Holder, closed);
        return Task.FromResult(Disposition.Ack);
    }
}
