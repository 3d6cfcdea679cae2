using Agents.Contracts;
using Agents.Messaging.Consuming;
using Agents.Messaging.Publishing;

namespace Agents.Messaging.Rpc;

/// <summary>
/// Base of a request/response server: answers to <c>reply_to</c> with the request's
/// correlation id, then acks. A request without reply_to, or one that cannot be read, is
/// dead-lettered.
/// </summary>
public abstract class RpcServerHandler(ConfirmingPublisher publisher) : IMessageHandler
{
    /// <summary>Returns the response type name and body.</summary>
    protected abstract Task<(string Type, object Body)> AnswerAsync(IncomingMessage request, CancellationToken ct);

    public async Task<Disposition> HandleAsync(IncomingMessage message, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(message.ReplyTo))
            throw new InvalidMessageException($"request {message.MessageId} ({message.Type}) has no reply_to");
        var (type, body) = await AnswerAsync(message, ct).ConfigureAwait(false);
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
