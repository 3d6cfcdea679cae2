using Agents.Messaging.Consuming;
using RabbitMQ.Client;

namespace Agents.WebConsole.Live;

/// <summary>
/// Feeds <see cref="LiveFeed"/> from <c>cloudstack-events</c> through a queue of this API instance's own:
/// non-durable, exclusive and bounded (the oldest notices go first), gone with the instance. Live
/// notices are a view: a page loaded later asks the API, so nothing here needs to outlive the process.
/// </summary>
public sealed class LiveEventHandler(LiveFeed feed) : IMessageHandler
{
    public const string Exchange = "cloudstack-events";

    /// <summary>The categories the console shows; CloudStack's own subscribers bind the same way.</summary>
    public static readonly string[] Bindings = ["*.AsyncJobEvent.#", "*.ResourceStateEvent.#", "*.AlertEvent.#", "*.ActionEvent.CA-CERTIFICATE-*.#"];

    /// <summary>producers.console.&lt;host&gt;.&lt;random&gt;: the API's broker user may declare producers.* queues.</summary>
    public static string QueueName() =>
        $"producers.console.{new string([.. Environment.MachineName.ToLowerInvariant().Where(c => char.IsAsciiLetterOrDigit(c) || c == '-').Take(32)])}.{Guid.NewGuid():N}";

    public static Func<IChannel, CancellationToken, Task> Declare(string queue, int maxLength) =>
        async (channel, ct) =>
        {
            await channel.QueueDeclareAsync(queue, durable: false, exclusive: true, autoDelete: true, arguments: new Dictionary<string, object?>
            {
                ["x-queue-type"] = "classic",
                ["x-max-length"] = maxLength,
                // drop-head, not the services policy's reject-publish: a slow console must never nack an event's publisher
                ["x-overflow"] = "drop-head",
            }, cancellationToken: ct).ConfigureAwait(false);
            foreach (var binding in Bindings)
                await channel.QueueBindAsync(queue, Exchange, binding, cancellationToken: ct).ConfigureAwait(false);
        };

    public Task<Disposition> HandleAsync(IncomingMessage message, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (CloudStackDelivery.Read(message.RoutingKey, message.Body.Span) is { } delivery && NoticeTranslator.Translate(delivery) is { } notice)
            feed.Publish(notice);
        return Task.FromResult(Disposition.Ack);
    }
}
