using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Agents.RouterBridge.Core.Agents;

/// <summary>
/// Forwards an agent's enrollment or renewal to the CA (over the bus in production). The listener
/// only carries bytes: the CA decides the holder from the token, or from the current certificate.
/// </summary>
public interface IEnrollmentRelay
{
    Task<EnrollmentAnswer> EnrollAsync(string token, string csrPem, EndPoint? remote, CancellationToken ct);

    /// <param name="current">The certificate the agent authenticated with on this connection.</param>
    Task<EnrollmentAnswer> RenewAsync(X509Certificate2 current, string csrPem, CancellationToken ct);
}
