using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Agents.Security.Tls;

/// <summary>
/// A CRL whose signature was verified against its issuer (.NET's CertificateRevocationListBuilder.Load
/// does not verify), with its revoked serials (upper-case hex, as X509Certificate2.SerialNumber) and number.
/// </summary>
public sealed record SignedCrl(IReadOnlyList<string> Serials, BigInteger Number, DateTimeOffset? NextUpdate)
{
    public static SignedCrl Verify(byte[] der, X509Certificate2 issuer)
    {
        ArgumentNullException.ThrowIfNull(der);
        ArgumentNullException.ThrowIfNull(issuer);
        try
        {
            var outer = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
            var tbs = outer.ReadEncodedValue().ToArray();
            var algorithm = outer.ReadSequence().ReadObjectIdentifier();
            var signature = outer.ReadBitString(out _);
            if (!SignatureVerifies(issuer, algorithm, tbs, signature))
                throw new CryptographicException($"the CRL's signature does not verify against {issuer.Subject}");
            return Parse(tbs);
        }
        catch (AsnContentException e)
        {
            throw new CryptographicException($"not a DER CRL: {e.Message}", e);
        }
    }

    private static bool SignatureVerifies(X509Certificate2 issuer, string algorithm, byte[] tbs, byte[] signature)
    {
        HashAlgorithmName Hash(string suffix) => suffix switch
        {
            "2" or "11" => HashAlgorithmName.SHA256,
            "3" or "12" => HashAlgorithmName.SHA384,
            "4" or "13" => HashAlgorithmName.SHA512,
            _ => throw new CryptographicException($"CRL signature algorithm {algorithm} is not accepted"),
        };
        if (algorithm.StartsWith("1.2.840.10045.4.3.", StringComparison.Ordinal))
        {
            using var ec = issuer.GetECDsaPublicKey() ?? throw new CryptographicException("the CRL is signed with ECDSA but its issuer's key is not EC");
            return ec.VerifyData(tbs, signature, Hash(algorithm[18..]), DSASignatureFormat.Rfc3279DerSequence);
        }
        if (algorithm.StartsWith("1.2.840.113549.1.1.", StringComparison.Ordinal))
        {
            using var rsa = issuer.GetRSAPublicKey() ?? throw new CryptographicException("the CRL is signed with RSA but its issuer's key is not RSA");
            return rsa.VerifyData(tbs, signature, Hash(algorithm[19..]), RSASignaturePadding.Pkcs1);
        }
        throw new CryptographicException($"CRL signature algorithm {algorithm} is not accepted");
    }

    private static SignedCrl Parse(byte[] tbsDer)
    {
        var tbs = new AsnReader(tbsDer, AsnEncodingRules.DER).ReadSequence();
        if (tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Integer)) tbs.ReadInteger();
        tbs.ReadSequence();          // signature algorithm
        tbs.ReadEncodedValue();      // issuer
        ReadTime(tbs);               // thisUpdate
        DateTimeOffset? nextUpdate = null;
        if (tbs.HasData && IsTime(tbs.PeekTag())) nextUpdate = ReadTime(tbs);
        var serials = new List<string>();
        if (tbs.HasData && tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
        {
            var entries = tbs.ReadSequence();
            while (entries.HasData)
            {
                var entry = entries.ReadSequence();
                serials.Add(Convert.ToHexString(entry.ReadIntegerBytes().Span));
            }
        }
        var number = BigInteger.Zero;
        var extensionsTag = new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true);
        if (tbs.HasData && tbs.PeekTag().HasSameClassAndValue(extensionsTag))
        {
            var extensions = tbs.ReadSequence(extensionsTag).ReadSequence();
            while (extensions.HasData)
            {
                var extension = extensions.ReadSequence();
                var oid = extension.ReadObjectIdentifier();
                if (extension.PeekTag().HasSameClassAndValue(Asn1Tag.Boolean)) extension.ReadBoolean();
                var value = extension.ReadOctetString();
                if (oid == "2.5.29.20") number = new AsnReader(value, AsnEncodingRules.DER).ReadInteger();
            }
        }
        return new SignedCrl(serials, number, nextUpdate);
    }

    private static bool IsTime(Asn1Tag tag) =>
        tag.HasSameClassAndValue(new Asn1Tag(UniversalTagNumber.UtcTime)) || tag.HasSameClassAndValue(new Asn1Tag(UniversalTagNumber.GeneralizedTime));

    private static DateTimeOffset ReadTime(AsnReader reader) =>
        reader.PeekTag().HasSameClassAndValue(new Asn1Tag(UniversalTagNumber.UtcTime)) ? reader.ReadUtcTime() : reader.ReadGeneralizedTime();
}
