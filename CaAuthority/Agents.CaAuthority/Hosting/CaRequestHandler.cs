using Agents.CaAuthority.Options;
using Agents.CaAuthority.Providers;
using Agents.CaAuthority.Provisioning;
using Agents.Contracts.Ca;
using Agents.Messaging.Consuming;
using Agents.Messaging.Rpc;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Agents.Contracts;
using Agents.CaAuthority.Telemetry;

namespace Agents.CaAuthority.Hosting;

/// <summary>
/// Serves <c>ca.requests</c>: the AMQP type names the request record, the answer's type the
/// response record or <see cref="CaError"/>. A refused request changes nothing and is answered
/// with the reason; the durable effects (inventory, token use, revocation) are committed before
/// the answer leaves.
/// </summary>
public sealed class CaRequestHandler(
    IEnumerable<ICaProvider> providers,
    CertificateProvisioner provisioner,
    CallerPolicy callers,
    IOptions<CaOptions> options,
    CaMetrics metrics,
    ILogger<CaRequestHandler> logger) : IRequestHandler
{
    private readonly IReadOnlyList<ICaProvider> _providers = providers.ToList();

    public async Task<(string Type, object Body)> AnswerAsync(IncomingMessage request, CancellationToken ct)
    {
        try
        {
            callers.RequireAllowed(request.Type, request.UserId);
            object answer = request.Type switch
            {
                CaRequestTypes.IssueCertificate => await IssueAsync(Read<IssueCertificate>(request), ct).ConfigureAwait(false),
                CaRequestTypes.EnrollHolder => await EnrollAsync(Read<EnrollHolder>(request), request.UserId, ct).ConfigureAwait(false),
                CaRequestTypes.RenewCertificate => await RenewAsync(Read<RenewCertificate>(request), request.UserId, ct).ConfigureAwait(false),
                CaRequestTypes.RevokeCertificate => await Provider(null).RevokeAsync(Read<RevokeCertificate>(request), ct).ConfigureAwait(false),
                CaRequestTypes.ProvisionCertificate => await provisioner.ProvisionAsync(Read<ProvisionCertificate>(request), ct).ConfigureAwait(false),
                CaRequestTypes.CreateEnrollmentToken => await Provider(null).CreateEnrollmentTokenAsync(Read<CreateEnrollmentToken>(request), ct).ConfigureAwait(false),
                CaRequestTypes.GetCaCertificate => Provider(Read<GetCaCertificate>(request).Provider).CaCertificate(),
                CaRequestTypes.ListCaProviders => ListProviders(Read<ListCaProviders>(request).Name),
                CaRequestTypes.GetHolderCertificate => await Provider(null).HolderCertificateAsync(Read<GetHolderCertificate>(request).Holder, ct).ConfigureAwait(false),
                _ => throw CaRequestException.BadParameter($"unknown request type '{request.Type}'; expected one of {string.Join(", ", KnownTypes)}"),
            };
            metrics.Answered(MetricType(request.Type), "answered");
            return (answer.GetType().Name, answer);
        }
        catch (CaRequestException refused)
        {
            metrics.Answered(MetricType(request.Type), "refused");
            logger.LogWarning("Refused {RequestType} {MessageId} from {UserId}: {Reason}", request.Type, request.MessageId, request.UserId, refused.Message);
            return (nameof(CaError), new CaError { ErrorCode = refused.ErrorCode, ErrorText = refused.Message });
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            metrics.Answered(MetricType(request.Type), "failed");
            logger.LogError(e, "{RequestType} {MessageId} failed", request.Type, request.MessageId);
            return (nameof(CaError), new CaError { ErrorCode = 530, ErrorText = $"the CA could not complete {request.Type}: {e.Message}" });
        }
    }

    /// <summary>A known type names itself; anything else a caller sent is "unknown" (no label per stranger's string).</summary>
    private static string MetricType(string? type) => type is not null && KnownTypes.Contains(type, StringComparer.Ordinal) ? type : "unknown";

    private static readonly string[] KnownTypes =
    [
        CaRequestTypes.IssueCertificate, CaRequestTypes.EnrollHolder, CaRequestTypes.RenewCertificate, CaRequestTypes.RevokeCertificate,
        CaRequestTypes.ProvisionCertificate, CaRequestTypes.CreateEnrollmentToken, CaRequestTypes.GetCaCertificate,
        CaRequestTypes.ListCaProviders, CaRequestTypes.GetHolderCertificate,
    ];

    private Task<CertificateIssued> IssueAsync(IssueCertificate request, CancellationToken ct) => Provider(request.Provider).IssueAsync(request, ct);

    private async Task<CertificateIssued> EnrollAsync(EnrollHolder request, string? userId, CancellationToken ct)
    {
        await callers.RequireEnrollAllowedAsync(request, userId, ct).ConfigureAwait(false);
        return await Provider(null).EnrollAsync(request, ct).ConfigureAwait(false);
    }

    private async Task<CertificateIssued> RenewAsync(RenewCertificate request, string? userId, CancellationToken ct)
    {
        await callers.RequireRenewAllowedAsync(request, userId, ct).ConfigureAwait(false);
        return await Provider(null).RenewAsync(request, ct).ConfigureAwait(false);
    }

    private T Read<T>(IncomingMessage request)
    {
        var limit = options.Value.MaxCsrBytes * 2 + 4096;
        if (request.Body.Length > limit)
            throw CaRequestException.BadParameter($"the {request.Type} request is {request.Body.Length} bytes; at most {limit} are accepted");
        try
        {
            return request.Read<T>();
        }
        catch (InvalidMessageException e)
        {
            throw CaRequestException.BadParameter($"{request.Type} is not valid JSON for {typeof(T).Name}: {e.Message}");
        }
    }

    private ICaProvider Provider(string? name)
    {
        var wanted = string.IsNullOrWhiteSpace(name) ? options.Value.ProviderPlugin : name;
        return _providers.FirstOrDefault(p => string.Equals(p.Name, wanted, StringComparison.OrdinalIgnoreCase))
            ?? throw CaRequestException.BadParameter($"no CA provider named '{wanted}' (listCAProviders names them)");
    }

    private CaProviders ListProviders(string? name) => new()
    {
        Providers = _providers
            .Where(p => string.IsNullOrWhiteSpace(name) || string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
            .Select(p => new CaProviderInfo { Name = p.Name, Description = p.Description })
            .ToList(),
    };
}
