using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Agents.Security.Sealing;

namespace Agents.Security.Tests;

public sealed class SecretSealerTests
{
    private static X509Certificate2 NewCertificate(ECDsa key)
    {
        var request = new CertificateRequest("CN=vm", key, HashAlgorithmName.SHA256);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    [Fact]
    public void a_sealed_secret_opens_with_the_recipients_private_key()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var cert = NewCertificate(key);

        var sealedSecret = SecretSealer.Seal("s3cret ü ' \" $(rm -rf /)", cert);

        Assert.Equal("ECDH-P256+HKDF-SHA256+A256GCM", sealedSecret.Algorithm);
        Assert.Equal(cert.SerialNumber, sealedSecret.RecipientSerial);
        Assert.Equal(12, Convert.FromBase64String(sealedSecret.Nonce).Length);
        Assert.Equal(16, Convert.FromBase64String(sealedSecret.Tag).Length);
        Assert.Equal("s3cret ü ' \" $(rm -rf /)", SecretSealer.OpenString(sealedSecret, key));
        Assert.Equal("s3cret ü ' \" $(rm -rf /)", Encoding.UTF8.GetString(SecretSealer.Open(sealedSecret, cert)));
    }

    [Fact]
    public void the_ciphertext_does_not_contain_the_secret_and_each_seal_is_fresh()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var cert = NewCertificate(key);

        var first = SecretSealer.Seal("password-password", cert);
        var second = SecretSealer.Seal("password-password", cert);

        Assert.NotEqual(first.Nonce, second.Nonce);
        Assert.NotEqual(first.EphemeralPublicKey, second.EphemeralPublicKey);
        Assert.NotEqual(first.Ciphertext, second.Ciphertext);
        Assert.DoesNotContain("password", Encoding.UTF8.GetString(Convert.FromBase64String(first.Ciphertext)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Ciphertext")]
    [InlineData("Tag")]
    [InlineData("Nonce")]
    [InlineData("EphemeralPublicKey")]
    [InlineData("RecipientSerialCase")]
    public void a_tampered_envelope_is_refused(string field)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var cert = NewCertificate(key);
        var good = SecretSealer.Seal("hunter2", cert);

        var bad = field switch
        {
            "Ciphertext" => good with { Ciphertext = FlipFirstBit(good.Ciphertext) },
            "Tag" => good with { Tag = FlipFirstBit(good.Tag) },
            "Nonce" => good with { Nonce = FlipFirstBit(good.Nonce) },
            "EphemeralPublicKey" => good with { EphemeralPublicKey = Convert.ToBase64String(OtherPublicKey()) },
            _ => good with { RecipientSerial = good.RecipientSerial.ToLowerInvariant() + "" },
        };
        if (field == "RecipientSerialCase" && bad.RecipientSerial == good.RecipientSerial)
            bad = good with { RecipientSerial = "00" + good.RecipientSerial };

        Assert.Throws<SealedSecretException>(() => SecretSealer.Open(bad, key));
    }

    [Fact]
    public void another_key_cannot_open_a_sealed_secret()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var cert = NewCertificate(key);
        using var otherCert = NewCertificate(other);
        var sealedSecret = SecretSealer.Seal("hunter2", cert);

        Assert.Throws<SealedSecretException>(() => SecretSealer.Open(sealedSecret, other));
        var refused = Assert.Throws<SealedSecretException>(() => SecretSealer.Open(sealedSecret, otherCert));
        Assert.Contains("sealed to certificate", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void an_unknown_algorithm_or_bad_base64_is_refused_with_a_reason()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var cert = NewCertificate(key);
        var good = SecretSealer.Seal("hunter2", cert);

        Assert.Contains("algorithm", Assert.Throws<SealedSecretException>(() => SecretSealer.Open(good with { Algorithm = "RSA-OAEP" }, key)).Message, StringComparison.Ordinal);
        Assert.Contains("base64", Assert.Throws<SealedSecretException>(() => SecretSealer.Open(good with { Nonce = "***" }, key)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void a_certificate_without_a_p256_key_cannot_be_sealed_to()
    {
        using var rsa = RSA.Create(2048);
        using var cert = new CertificateRequest("CN=rsa", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
        Assert.ThrowsAny<Exception>(() => SecretSealer.Seal("x", cert));
    }

    private static string FlipFirstBit(string base64)
    {
        var bytes = Convert.FromBase64String(base64);
        bytes[0] ^= 1;
        return Convert.ToBase64String(bytes);
    }

    private static byte[] OtherPublicKey()
    {
        using var other = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        return other.PublicKey.ExportSubjectPublicKeyInfo();
    }
}
