using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Agents.CaAuthority.Options;
using Agents.CaAuthority.Providers;
using Agents.CaAuthority.Store;
using Microsoft.Extensions.Options;

namespace Agents.CaAuthority.Issuance;

/// <summary>A signed leaf and the inventory row that describes it.</summary>
public sealed record IssuedLeaf(X509Certificate2 Certificate, CertificateRecord Record, string? PrivateKeyPem);

/// <summary>
/// Signs leaf certificates: CA:false, digital signature + key agreement/encipherment, server and
/// client auth, AKI/SKI, the CRL distribution point, a random positive 128-bit serial, and a
/// NotAfter never past the CA's own.
/// </summary>
public sealed class CertificateIssuer(RootCaKeys ca, IOptions<CaOptions> options)
{
    public IssuedLeaf Issue(CertificateRequest request, IReadOnlyList<string> dns, IReadOnlyList<IPAddress> ips, string? holder, string? routerId, int? validityDays, string? privateKeyPem = null)
    {
        var days = validityDays is > 0 ? Math.Min(validityDays.Value, options.Value.CertValidityDays * 4) : options.Value.CertValidityDays;
        var subject = SubjectFor(holder, dns, request.SubjectName);
        var isEc = request.PublicKey.Oid.Value == "1.2.840.10045.2.1";
        // the hash and padding of the CA's own signature (the leaf's key may be of another algorithm)
        var leafRequest = new CertificateRequest(subject, request.PublicKey, HashAlgorithmName.SHA384);
        leafRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        leafRequest.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | (isEc ? X509KeyUsageFlags.KeyAgreement : X509KeyUsageFlags.KeyEncipherment), true));
        leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        leafRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(leafRequest.PublicKey, false));
        leafRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca.Certificate, true, false));
        leafRequest.CertificateExtensions.Add(CertificateRevocationListBuilder.BuildCrlDistributionPointExtension([CrlUrl]));
        var san = dns.Count + ips.Count > 0 || holder is not null ? ValidatedCsr.SubjectAlternativeName(dns, ips, holder) : null;
        if (san is not null) leafRequest.CertificateExtensions.Add(san);

        var notBefore = DateTimeOffset.UtcNow.AddMinutes(-5);
        var notAfter = Min(DateTimeOffset.UtcNow.AddDays(days), new DateTimeOffset(ca.Certificate.NotAfter.ToUniversalTime()));
        X509Certificate2 leaf;
        using (var signer = ca.NewSignatureGenerator())
            leaf = leafRequest.Create(ca.Certificate.SubjectName, signer.Generator, notBefore, notAfter, NewSerial());
        var record = new CertificateRecord
        {
            SerialNumber = leaf.SerialNumber,
            Subject = leaf.Subject,
            SubjectAlternativeNames = ValidatedCsr.Describe(san),
            Holder = holder,
            RouterId = routerId,
            NotBefore = new DateTimeOffset(leaf.NotBefore.ToUniversalTime()),
            NotAfter = new DateTimeOffset(leaf.NotAfter.ToUniversalTime()),
            Pem = leaf.ExportCertificatePem(),
        };
        return new IssuedLeaf(leaf, record, privateKeyPem);
    }

    public string CrlUrl => options.Value.EffectivePublicUrl + CaHttpEndpoints.CrlPath;

    /// <summary>128 random bits, positive (top bit clear) and of fixed length (second-highest bit set).</summary>
    private static byte[] NewSerial()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x40);
        return serial;
    }

    private static X500DistinguishedName SubjectFor(string? holder, IReadOnlyList<string> dns, X500DistinguishedName requested)
    {
        if (holder is not null && Agents.Security.Identity.HolderIdentity.TryParse(holder, out var identity))
            return new X500DistinguishedName($"CN={identity!.Kind.ToString().ToLowerInvariant()}-{identity.Id}");
        if (dns.Count > 0) return new X500DistinguishedName($"CN={dns[0]}");
        var cn = requested.EnumerateRelativeDistinguishedNames().FirstOrDefault(r => r.GetSingleElementType().Value == "2.5.4.3")?.GetSingleElementValue();
        if (cn is null || cn.Length > 64 || cn.Any(c => char.IsControl(c) || c is ',' or '+' or '=' or '"' or '\\' or '<' or '>' or ';'))
            throw CaRequestException.BadParameter("the certificate needs a holder, a DNS name, or a plain common name in the CSR");
        return new X500DistinguishedName($"CN={cn}");
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
