using Agents.Messaging.Health;
using Agents.CaAuthority.Providers;
using Agents.CaAuthority.Revocation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Agents.CaAuthority;

/// <summary>
/// What the CA serves over plain HTTP (public material only): the CRL at the distribution point
/// written into every leaf, and the root certificate.
/// </summary>
public static class CaHttpEndpoints
{
    public const string CrlPath = "/ca/crl";
    public const string CertificatePath = "/ca/certificate";

    public static IEndpointRouteBuilder MapCaEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(CrlPath, async (CrlPublisher crl, CancellationToken ct) =>
        {
            return Results.Bytes(await crl.CurrentAsync(ct).ConfigureAwait(false), "application/pkix-crl");
        });
        endpoints.MapGet(CrlPath + ".pem", async (CrlPublisher crl, CancellationToken ct) =>
        {
            var der = await crl.CurrentAsync(ct).ConfigureAwait(false);
            return Results.Text(System.Security.Cryptography.PemEncoding.WriteString("X509 CRL", der), "application/x-pem-file");
        });
        endpoints.MapGet(CertificatePath, (RootCaKeys ca) => Results.Text(ca.CertificatePem, "application/x-pem-file"));
        endpoints.MapAgentsHealth();
        return endpoints;
    }
}
