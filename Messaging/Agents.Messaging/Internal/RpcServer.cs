using Agents.Contracts;
using Agents.Messaging.Consuming;
using Agents.Messaging.Rpc;

namespace Agents.Messaging.Internal;

/// <summary>
/// Serves a request queue with an <see cref="IRequestHandler"/>: answers to <c>reply_to</c> with
/// the request's correlation id, then acks. A request without reply_to, or one that cannot be
/// read, is dead-lettered.
/// </summary>
internal sealed class RpcServer(IRequestHandler handler, ConfirmingPublisher publisher) : IMessageHandler
{
    public async Task<Disposition> HandleAsync(IncomingMessage message, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(message.ReplyTo))
            throw new InvalidMessageException($"request {message.MessageId} ({message.Type}) has no reply_to");
        var (type, body) = await handler.AnswerAsync(message, ct).ConfigureAwait(false);
        await publisher.PublishAsync(new OutgoingMessage
        {
            Exchange = "",
            RoutingKey = message.ReplyTo,
            Body = AgentJson.ToUtf8(body),
            MessageId = Guid.NewGuid().ToString(),
            CorrelationId = message.CorrelationId,
            Type = type,
            Persistent = false,
            Mandatory = false,
        }, ct).ConfigureAwait(false);
        return Disposition.Ack;
    }
}
