using System.Formats.Asn1;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Agents.CaAuthority.Issuance;

/// <summary>
/// A CSR whose signature verified, whose key is one we sign (RSA 2048+, EC P-256/P-384), and of
/// whose extensions only the DNS and IP names survive. Everything else a CSR asks for (CA:TRUE,
/// key usages, a URI naming some holder) is dropped: the CA decides those.
/// </summary>
public sealed record ValidatedCsr(CertificateRequest Request, IReadOnlyList<string> DnsNames, IReadOnlyList<IPAddress> IpAddresses)
{
    private const int MaxNames = 32;

    public static ValidatedCsr Parse(string? pem, int maxBytes)
    {
        if (string.IsNullOrWhiteSpace(pem)) throw CaRequestException.BadParameter("csr is empty");
        if (pem.Length > maxBytes) throw CaRequestException.BadParameter($"csr is {pem.Length} bytes; at most {maxBytes} are accepted");
        CertificateRequest request;
        try
        {
            // the signature is verified here; extensions are read so the SAN can be copied after checking it
            request = CertificateRequest.LoadSigningRequestPem(pem, HashAlgorithmName.SHA256,
                CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions, RSASignaturePadding.Pkcs1);
        }
        catch (CryptographicException e)
        {
            throw CaRequestException.BadParameter($"csr is not a valid PEM certificate request with a verifying signature: {e.Message}");
        }
        catch (ArgumentException e)
        {
            throw CaRequestException.BadParameter($"csr is not a valid PEM certificate request: {e.Message}");
        }
        CheckKey(request.PublicKey);
        var dns = new List<string>();
        var ips = new List<IPAddress>();
        foreach (var san in request.CertificateExtensions.OfType<X509SubjectAlternativeNameExtension>())
        {
            dns.AddRange(san.EnumerateDnsNames());
            ips.AddRange(san.EnumerateIPAddresses());
        }
        if (dns.Count + ips.Count > MaxNames) throw CaRequestException.BadParameter($"csr names {dns.Count + ips.Count} hosts; at most {MaxNames}");
        foreach (var name in dns) CheckDnsName(name);
        request.CertificateExtensions.Clear();
        return new ValidatedCsr(request, dns, ips);
    }

    public static void CheckDnsName(string? name)
    {
        if (name is null || name.Length is 0 or > 253 || name.StartsWith('.') || name.EndsWith('.') ||
            !name.Split('.').All(label => label.Length is > 0 and <= 63 && (label == "*" || label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))))
            throw CaRequestException.BadParameter($"'{name}' is not a valid DNS name");
    }

    private static void CheckKey(PublicKey key)
    {
        switch (key.Oid.Value)
        {
            case "1.2.840.113549.1.1.1":
                using (var rsa = key.GetRSAPublicKey()!)
                {
                    if (rsa.KeySize < 2048) throw CaRequestException.BadParameter($"RSA keys of {rsa.KeySize} bits are too weak; use 2048 or more");
                    if (rsa.KeySize > 8192) throw CaRequestException.BadParameter($"RSA keys of {rsa.KeySize} bits are not accepted");
                }
                break;
            case "1.2.840.10045.2.1":
                // the named curve from the key's algorithm parameters, without importing the key a second time
                // (the CSR's signature check already did; an import costs a fifth of a signature, profiled)
                if (NamedCurve(key) is not ("1.2.840.10045.3.1.7" or "1.3.132.0.34"))
                    throw CaRequestException.BadParameter("EC keys must be on P-256 or P-384");
                break;
            default:
                throw CaRequestException.BadParameter($"key algorithm {key.Oid.FriendlyName ?? key.Oid.Value} is not accepted (RSA or EC)");
        }
    }

    /// <summary>The namedCurve OID of an EC key's parameters; null for explicit curve parameters or anything else.</summary>
    private static string? NamedCurve(PublicKey key)
    {
        try
        {
            var reader = new AsnReader(key.EncodedParameters?.RawData ?? [], AsnEncodingRules.DER);
            if (!reader.HasData) return null;
            var oid = reader.ReadObjectIdentifier();
            return reader.HasData ? null : oid;
        }
        catch (AsnContentException)
        {
            return null;
        }
    }

    /// <summary>Builds the SAN the CA grants: the validated names plus the holder URI from the caller's entitlement.</summary>
    public static X509Extension SubjectAlternativeName(IEnumerable<string> dns, IEnumerable<IPAddress> ips, string? holderUri)
    {
        var builder = new SubjectAlternativeNameBuilder();
        foreach (var name in dns.Distinct(StringComparer.OrdinalIgnoreCase)) builder.AddDnsName(name);
        foreach (var ip in ips.Distinct()) builder.AddIpAddress(ip);
        if (holderUri is not null) builder.AddUri(new Uri(holderUri));
        return builder.Build();
    }

    /// <summary>
    /// "DNS:a, IP:1.2.3.4, URI:urn:…" for the inventory, from the SAN extension the issuer puts in the
    /// certificate (read from it, not from the signed certificate parsed again).
    /// </summary>
    public static string Describe(X509Extension? extension)
    {
        if (extension is null) return "";
        var san = extension as X509SubjectAlternativeNameExtension ?? new X509SubjectAlternativeNameExtension(extension.RawData, extension.Critical);
        var parts = san.EnumerateDnsNames().Select(n => "DNS:" + n).Concat(san.EnumerateIPAddresses().Select(ip => "IP:" + ip)).ToList();
        var reader = new AsnReader(san.RawData, AsnEncodingRules.DER).ReadSequence();
        var uriTag = new Asn1Tag(TagClass.ContextSpecific, 6);
        while (reader.HasData)
        {
            if (reader.PeekTag() == uriTag) parts.Add("URI:" + reader.ReadCharacterString(UniversalTagNumber.IA5String, uriTag));
            else reader.ReadEncodedValue();
        }
        return string.Join(", ", parts);
    }
}
