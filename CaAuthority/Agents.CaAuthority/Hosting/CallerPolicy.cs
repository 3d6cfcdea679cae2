using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Agents.CaAuthority.Options;
using Agents.CaAuthority.Store;
using Agents.CaAuthority.Tokens;
using Agents.Contracts.Ca;
using Microsoft.Extensions.Options;

namespace Agents.CaAuthority.Hosting;

/// <summary>
/// Who may ask what, by the AMQP <c>user_id</c> the broker vouches for. Issuing, revoking,
/// provisioning and creating tokens are for <c>Ca:AdminUsers</c> (the API). Anyone may enroll
/// with a token, renew, and read public material; a bridge (<c>bridge-&lt;routerId&gt;</c>) only
/// for holders behind its own router. Checked before anything is written.
/// </summary>
public sealed class CallerPolicy(ICaStore store, IOptions<CaOptions> options)
{
    private const string BridgePrefix = "bridge-";

    private static readonly HashSet<string> AdminOnly =
    [
        CaRequestTypes.IssueCertificate, CaRequestTypes.RevokeCertificate, CaRequestTypes.ProvisionCertificate, CaRequestTypes.CreateEnrollmentToken,
    ];

    public void RequireAllowed(string? type, string? userId)
    {
        if (type is null || !AdminOnly.Contains(type)) return;
        if (userId is null || !options.Value.AdminUserList.Contains(userId, StringComparer.Ordinal))
            throw CaRequestException.NotAllowed($"{type} is for the API's broker users (Ca:AdminUsers); " +
                (userId is null ? "the request carries no user_id" : $"'{userId}' is not one of them"));
    }

    public async Task RequireEnrollAllowedAsync(EnrollHolder request, string? userId, CancellationToken ct)
    {
        if (BridgeRouter(userId) is not { } router) return;
        var token = await store.FindTokenAsync(EnrollmentTokens.Hash(request.Token ?? ""), ct).ConfigureAwait(false);
        if (token?.RouterId is { } expected && !string.Equals(expected, router, StringComparison.Ordinal))
            throw CaRequestException.NotAllowed($"the enrollment token is for a holder behind router {expected}, not {router}");
    }

    public async Task RequireRenewAllowedAsync(RenewCertificate request, string? userId, CancellationToken ct)
    {
        if (BridgeRouter(userId) is not { } router || string.IsNullOrWhiteSpace(request.CurrentCertificate)
            || request.CurrentCertificate.Length > options.Value.MaxCsrBytes) return;
        string serial;
        try
        {
            using var current = X509Certificate2.CreateFromPem(request.CurrentCertificate);
            serial = current.SerialNumber;
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException) { return; } // the provider refuses it with the reason
        var record = await store.FindAsync(serial, ct).ConfigureAwait(false);
        if (record?.RouterId is { } expected && !string.Equals(expected, router, StringComparison.Ordinal))
            throw CaRequestException.NotAllowed($"certificate {serial} belongs to a holder behind router {expected}, not {router}");
    }

    private static string? BridgeRouter(string? userId) =>
        userId is not null && userId.StartsWith(BridgePrefix, StringComparison.Ordinal) ? userId[BridgePrefix.Length..] : null;
}
