using Agents.Contracts;
using Agents.Contracts.Events;
using Agents.Messaging.Consuming;
using Agents.Messaging;

namespace Agents.WebConsole.Live;

/// <summary>
/// Feeds <see cref="LiveFeed"/> from <c>cloudstack-events</c> through a queue of this API instance's own:
/// non-durable, exclusive and bounded (the oldest notices go first), gone with the instance. Live
/// notices are a view: a page loaded later asks the API, so nothing here needs to outlive the process.
/// </summary>
public sealed class LiveEventHandler(LiveFeed feed) : IMessageHandler
{
    /// <summary>
    /// The categories the console shows, bound as CloudStack's own subscribers bind them, and the CA's certificate
    /// ActionEvents by type (a topic binding's <c>*</c> stands for a whole word, never for part of one).
    /// </summary>
    public static readonly string[] Bindings =
    [
        "*.AsyncJobEvent.#", "*.ResourceStateEvent.#", "*.AlertEvent.#",
        .. new[] { EventTypes.CertificateIssued, EventTypes.CertificateRevoked, EventTypes.CertificateRekey, EventTypes.CertificateRenewalRequested }
            .Select(type => EventRoutingKey.Build(null, EventCategory.ActionEvent, type, null, null)),
    ];

    /// <summary>producers.console.&lt;host&gt;.&lt;random&gt;: the API's broker user may declare producers.* queues.</summary>
    public static string QueueName() =>
        $"producers.console.{new string([.. Environment.MachineName.ToLowerInvariant().Where(c => char.IsAsciiLetterOrDigit(c) || c == '-').Take(32)])}.{Guid.NewGuid():N}";

    public static QueueDeclaration Declare(string queue, int maxLength) =>
        new(queue, Topology.EventsExchange, Bindings)
        {
            Durable = false,
            Exclusive = true,
            AutoDelete = true,
            Arguments = new Dictionary<string, object?>
            {
                ["x-queue-type"] = "classic",
                ["x-max-length"] = maxLength,
                // drop-head, not the services policy's reject-publish: a slow console must never nack an event's publisher
                ["x-overflow"] = "drop-head",
            },
        };

    public Task<Disposition> HandleAsync(IncomingMessage message, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        LiveNotice? notice;
        try
        {
            notice = NoticeTranslator.Translate(message.ReadEvent());
        }
        catch (InvalidEventException)
        {
            // the console only shows events: one it cannot read is not its to refuse (the audit log records it)
            notice = null;
        }
        if (notice is not null) feed.Publish(notice);
        return Task.FromResult(Disposition.Ack);
    }
}
