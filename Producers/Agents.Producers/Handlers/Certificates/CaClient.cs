using Agents.Messaging.Rpc;
using Agents.Producers.Api;
using Microsoft.Extensions.Options;
using Agents.Messaging;

namespace Agents.Producers.Handlers.Certificates;

/// <summary>Requests to the CA on ca.requests; its refusals keep their CloudStack error code, silence is 534.</summary>
public sealed class CaClient(IRequestClient rpc, IOptions<ProducersOptions> options)
{
    public async Task<T> CallAsync<T>(object request, CancellationToken ct)
    {
        try
        {
            return await rpc.CallCaAsync<T>(request, TimeSpan.FromSeconds(options.Value.Provisioning.CaTimeoutSeconds), ct).ConfigureAwait(false);
        }
        catch (CaRequestRefusedException e)
        {
            throw new ApiException(e.ErrorCode is >= 400 and < 600 ? e.ErrorCode : ApiErrorCode.InternalError, $"CA: {e.Message}");
        }
        catch (RpcException e)
        {
            throw ApiException.Unavailable($"the certificate authority is not available: {e.Message}");
        }
    }
}
