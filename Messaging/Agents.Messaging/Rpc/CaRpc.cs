using Agents.Contracts;
using Agents.Contracts.Ca;

namespace Agents.Messaging.Rpc;

/// <summary>Requests to the certificate authority on <c>ca.requests</c>: the request record's name is the AMQP type.</summary>
public static class CaRpc
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public static async Task<TResponse> CallCaAsync<TResponse>(this IRequestClient rpc, object request, TimeSpan? timeout = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(rpc);
        ArgumentNullException.ThrowIfNull(request);
        var reply = await rpc.CallAsync(Topology.CaRequestsQueue, request.GetType().Name, request, timeout ?? DefaultTimeout, ct).ConfigureAwait(false);
        if (reply.Type == nameof(CaError))
        {
            var error = reply.Read<CaError>();
            throw new CaRequestRefusedException(error.ErrorCode, error.ErrorText);
        }
        if (reply.Type != typeof(TResponse).Name)
            throw new InvalidMessageException($"the CA answered {request.GetType().Name} with '{reply.Type}', expected {typeof(TResponse).Name}");
        return reply.Read<TResponse>();
    }
}
