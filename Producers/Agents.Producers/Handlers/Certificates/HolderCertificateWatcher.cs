using Agents.Contracts;
using Agents.Contracts.Events;
using Agents.Messaging;
using Agents.Messaging.Consuming;

namespace Agents.Producers.Handlers.Certificates;

/// <summary>
/// Keeps <see cref="HolderCertificates"/> true: every CA.CERTIFICATE.ISSUE and
/// CA.CERTIFICATE.REVOKE event removes its holder's entry, and nothing is kept while this watcher
/// is not consuming. Its queue is this instance's own, durable, and expires
/// <see cref="HolderCertificates.Lifetime"/> after the instance is gone: an event published while
/// the connection is rebuilt waits for it, and after a longer absence every entry is stale anyway.
/// </summary>
public sealed class HolderCertificateWatcher(HolderCertificates certificates) : IMessageHandler, IConsumingObserver
{
    /// <summary>This process's queue: <c>producers.certificates.{host}-{random}</c>.</summary>
    public static string QueueFor(string instanceName) => $"producers.certificates.{instanceName}";

    public static QueueDeclaration Declare(string instanceName) =>
        QueueDeclaration.Expiring(QueueFor(instanceName), HolderCertificates.Lifetime, Topology.EventsExchange,
            EventRoutingKey.Build("*", EventCategory.ActionEvent, EventTypes.CertificateIssued, "*", "*"),
            EventRoutingKey.Build("*", EventCategory.ActionEvent, EventTypes.CertificateRevoked, "*", "*"));

    public Task<Disposition> HandleAsync(IncomingMessage message, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        // unreadable now means unreadable forever: InvalidEventException dead-letters it; every entry goes, to be safe
        CertificateChanged changed;
        try
        {
            changed = CertificateChanged.FromEvent(message.ReadEvent());
        }
        catch (InvalidEventException)
        {
            certificates.Forget(null);
            throw;
        }
        certificates.Forget(changed.Holder);
        return Task.FromResult(Disposition.Ack);
    }

    public void ConsumingChanged(bool consuming) => certificates.Listening(consuming);
}
