using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Agents.CaAuthority.Issuance;
using Agents.CaAuthority.Options;
using Agents.CaAuthority.Providers;
using Agents.CaAuthority.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Agents.CaAuthority.Tests;

/// <summary>The root CA itself, without a broker: its key at rest and its signatures, judged by openssl.</summary>
public sealed class RootCaTests : IDisposable
{
    private readonly Openssl _openssl = new();

    private CaOptions Options(CaKeyAlgorithm algorithm, string passphrase)
    {
        var file = _openssl.PathOf($"passphrase-{Guid.NewGuid():N}");
        File.WriteAllText(file, passphrase);
        return new CaOptions
        {
            DataDirectory = _openssl.PathOf($"ca-{algorithm}"), KeyAlgorithm = algorithm, PassphraseFile = file,
            PassphraseEnvironmentVariable = "AGENTS_CA_TEST_UNSET_" + Guid.NewGuid().ToString("N"), IssuerDn = "CN=Test Root,O=Agents",
        };
    }

    [Theory]
    [InlineData(CaKeyAlgorithm.EcdsaP384, "rsa:2048")]
    [InlineData(CaKeyAlgorithm.Rsa4096, "ec")]
    [InlineData(CaKeyAlgorithm.Rsa4096, "rsa:2048")]
    public async Task a_root_of_either_algorithm_signs_leaves_of_either_algorithm_that_openssl_accepts(CaKeyAlgorithm algorithm, string leafKey)
    {
        var options = Options(algorithm, "p");
        var root = RootCaKeys.LoadOrCreate(options, NullLogger.Instance);
        var issuer = new CertificateIssuer(root, Microsoft.Extensions.Options.Options.Create(options));
        var csr = ValidatedCsr.Parse(await _openssl.CsrAsync(leafKey, "/CN=leaf", "subjectAltName=DNS:leaf.example.internal"), 16384);

        var leaf = issuer.Issue(csr.Request, csr.DnsNames, csr.IpAddresses, "urn:cloudstack:vm:1", null, null);

        var verify = await _openssl.MustAsync("verify", "-CAfile", await _openssl.WriteAsync("root.pem", root.CertificatePem),
            await _openssl.WriteAsync("leaf.pem", leaf.Record.Pem));
        Assert.Contains(": OK", verify, StringComparison.Ordinal);
        Assert.Equal(algorithm == CaKeyAlgorithm.Rsa4096 ? 4096 : 384, algorithm == CaKeyAlgorithm.Rsa4096
            ? root.Certificate.GetRSAPublicKey()!.KeySize : root.Certificate.GetECDsaPublicKey()!.KeySize);
    }

    [Fact]
    public void the_root_key_is_encrypted_at_rest_and_loads_again_only_with_its_passphrase()
    {
        var options = Options(CaKeyAlgorithm.EcdsaP384, "the right one");
        var created = RootCaKeys.LoadOrCreate(options, NullLogger.Instance);

        var keyText = File.ReadAllText(Path.Combine(options.DataDirectory, "ca.key"));
        Assert.StartsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----", keyText, StringComparison.Ordinal);
        Assert.ThrowsAny<ArgumentException>(() => ECDsa.Create().ImportFromPem(keyText)); // "encrypted: use ImportFromEncryptedPem"
        var reloaded = RootCaKeys.LoadOrCreate(options, NullLogger.Instance);
        Assert.Equal(created.Certificate.Thumbprint, reloaded.Certificate.Thumbprint);
        Assert.True(reloaded.Certificate.HasPrivateKey);

        File.WriteAllText(options.PassphraseFile!, "a wrong one");
        var wrong = Assert.Throws<CaSetupException>(() => RootCaKeys.LoadOrCreate(options, NullLogger.Instance));
        Assert.Contains("cannot be decrypted", wrong.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong one", wrong.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void the_root_is_a_ca_with_the_configured_issuer_dn_and_a_leaf_never_outlives_it()
    {
        var options = Options(CaKeyAlgorithm.EcdsaP384, "p");
        options.CaValidityYears = 1;
        var root = RootCaKeys.LoadOrCreate(options, NullLogger.Instance);
        Assert.Equal("CN=Test Root, O=Agents", root.Certificate.Subject);
        Assert.True(root.Certificate.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);

        var issuer = new CertificateIssuer(root, Microsoft.Extensions.Options.Options.Create(options));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leaf = issuer.Issue(new CertificateRequest("CN=x", key, HashAlgorithmName.SHA256), ["x.example"], [], null, null, validityDays: 3000);

        Assert.True(leaf.Certificate.NotAfter <= root.Certificate.NotAfter);
    }

    public void Dispose() => _openssl.Dispose();
}
