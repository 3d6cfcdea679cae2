using Agents.Messaging.Consuming;

namespace Agents.Messaging.Rpc;

/// <summary>
/// Answers the requests of a queue served with <see cref="MessagingServiceCollectionExtensions.AddRequestServer{THandler}"/>:
/// the answer goes to the request's <c>reply_to</c> with its correlation id, then the request is acked.
/// A request without reply_to, or one that cannot be read, is dead-lettered.
/// </summary>
public interface IRequestHandler
{
    /// <summary>The answer's AMQP type (the response contract's name) and body.</summary>
    Task<(string Type, object Body)> AnswerAsync(IncomingMessage request, CancellationToken ct);
}
