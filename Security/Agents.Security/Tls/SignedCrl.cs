using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace Agents.Security.Tls;

/// <summary>
/// A CRL whose signature was verified against its issuer, parsed and checked by BouncyCastle
/// (.NET's CertificateRevocationListBuilder.Load does not verify), with its revoked serials
/// (upper-case hex, as X509Certificate2.SerialNumber) and number.
/// </summary>
public sealed record SignedCrl(IReadOnlyList<string> Serials, BigInteger Number, DateTimeOffset? NextUpdate)
{
    public static SignedCrl Verify(byte[] der, X509Certificate2 issuer)
    {
        ArgumentNullException.ThrowIfNull(der);
        ArgumentNullException.ThrowIfNull(issuer);
        X509Crl crl;
        try
        {
            crl = new X509CrlParser().ReadCrl(der) ?? throw new CryptographicException("not a DER CRL: empty input");
        }
        catch (Exception e) when (e is not CryptographicException)
        {
            throw new CryptographicException($"not a DER CRL: {e.Message}", e);
        }
        var issuerCertificate = new X509CertificateParser().ReadCertificate(issuer.RawData);
        if (!crl.IssuerDN.Equivalent(issuerCertificate.SubjectDN))
            throw new CryptographicException($"the CRL's signature does not verify against {issuer.Subject}: it is issued by {crl.IssuerDN}");
        try
        {
            crl.Verify(issuerCertificate.GetPublicKey());
        }
        catch (Exception e) when (e is InvalidKeyException or SignatureException or GeneralSecurityException or ArgumentException or InvalidOperationException)
        {
            throw new CryptographicException($"the CRL's signature does not verify against {issuer.Subject}: {e.Message}", e);
        }
        var serials = (crl.GetRevokedCertificates() ?? new HashSet<X509CrlEntry>())
            .Select(entry => Convert.ToHexString(entry.SerialNumber.ToByteArray()))
            .ToList();
        return new SignedCrl(serials, CrlNumber(crl), crl.NextUpdate is { } next ? new DateTimeOffset(next, TimeSpan.Zero) : null);
    }

    private static BigInteger CrlNumber(X509Crl crl)
    {
        var value = crl.GetExtensionValue(X509Extensions.CrlNumber);
        if (value is null) return BigInteger.Zero;
        var number = DerInteger.GetInstance(Asn1Object.FromByteArray(value.GetOctets()));
        return new BigInteger(number.Value.ToByteArrayUnsigned(), isUnsigned: true, isBigEndian: true);
    }
}
