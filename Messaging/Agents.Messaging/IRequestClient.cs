using Agents.Messaging.Rpc;

namespace Agents.Messaging;

/// <summary>
/// Asks a service that answers on a queue (the CA on <c>ca.requests</c>) and waits for its
/// answer. Requests are not persistent: a caller that gets an <see cref="RpcException"/> (no
/// answer in time, connection lost, nobody serves the queue) asks again.
/// </summary>
public interface IRequestClient
{
    /// <param name="type">The AMQP type: the request contract's name.</param>
    Task<RpcReply> CallAsync(string queue, string type, object request, TimeSpan timeout, CancellationToken ct = default);
}
