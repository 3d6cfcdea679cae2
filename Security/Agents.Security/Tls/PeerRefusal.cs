using System.Security.Cryptography.X509Certificates;
using Agents.Security.Identity;

namespace Agents.Security.Tls;

/// <summary>
/// Why a peer was refused, and what its certificate claimed. Every field but <see cref="Reason"/>
/// comes from a certificate nobody vouches for: the holder is only what it names (parsed with the
/// same rules as a trusted one), and the texts are cut to <see cref="MaxText"/> characters.
/// </summary>
public sealed record PeerRefusal(string Reason, string? CertificateSerial = null, string? CertificateSubject = null,
    string? CertificateIssuer = null, HolderIdentity? ClaimedHolder = null)
{
    public const int MaxText = 256;

    public static PeerRefusal Of(string reason, X509Certificate? presented)
    {
        ArgumentNullException.ThrowIfNull(reason);
        if (presented is null) return new(Cut(reason));
        using var certificate = new X509Certificate2(presented);
        return new(Cut(reason), Cut(certificate.SerialNumber), Cut(certificate.Subject), Cut(certificate.Issuer), HolderIdentity.FromCertificate(certificate));
    }

    private static string Cut(string text) => text.Length <= MaxText ? text : text[..MaxText] + "…";
}
