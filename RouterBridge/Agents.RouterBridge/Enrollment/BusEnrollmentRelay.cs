using System.Net;
using System.Security.Cryptography.X509Certificates;
using Agents.Contracts.Ca;
using Agents.Messaging.Rpc;
using Agents.RouterBridge.Core.Agents;
using Agents.Messaging;

namespace Agents.RouterBridge.Enrollment;

/// <summary>
/// Relays an agent's enrollment and renewal to the CA over <c>ca.requests</c>: the agent never
/// talks to the broker. The CA decides the holder from the token, or from the current certificate
/// the agent proved on this mutual-TLS connection.
/// </summary>
public sealed class BusEnrollmentRelay(IRequestClient rpc) : IEnrollmentRelay
{
    public Task<EnrollmentAnswer> EnrollAsync(string token, string csrPem, EndPoint? remote, CancellationToken ct) =>
        AskAsync(new EnrollHolder { Token = token, Csr = csrPem }, ct);

    public Task<EnrollmentAnswer> RenewAsync(X509Certificate2 current, string csrPem, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(current);
        return AskAsync(new RenewCertificate { CurrentCertificate = current.ExportCertificatePem(), Csr = csrPem }, ct);
    }

    private async Task<EnrollmentAnswer> AskAsync(object request, CancellationToken ct)
    {
        try
        {
            var issued = await rpc.CallCaAsync<CertificateIssued>(request, ct: ct).ConfigureAwait(false);
            return EnrollmentAnswer.Issued(issued.Certificate, issued.CaCertificate);
        }
        catch (CaRequestRefusedException refused)
        {
            return EnrollmentAnswer.Refused(refused.Message);
        }
    }
}
