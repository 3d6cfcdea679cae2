using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Agents.CaAuthority.Tests.Support;
using Agents.Contracts.Ca;
using Agents.Messaging.Rpc;
using Agents.Security.Identity;

namespace Agents.CaAuthority.Tests;

[Collection(CaCollection.Name)]
public sealed class CsrValidationTests(CaFixture ca) : IDisposable
{
    private readonly Openssl _openssl = new();

    [Fact]
    public async Task a_csr_asking_for_ca_true_gets_a_leaf_that_cannot_sign()
    {
        var csr = await _openssl.CsrAsync("ec", "/CN=evil-ca", "basicConstraints=critical,CA:TRUE", "keyUsage=critical,keyCertSign,cRLSign",
            "subjectAltName=DNS:evil.example.internal");

        var issued = await ca.Client().CallCaAsync<CertificateIssued>(new IssueCertificate { Csr = csr });

        using var leaf = X509Certificate2.CreateFromPem(issued.Certificate);
        Assert.False(leaf.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        Assert.False(leaf.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages.HasFlag(X509KeyUsageFlags.KeyCertSign));
        var text = await _openssl.MustAsync("x509", "-in", await _openssl.WriteAsync("leaf.pem", issued.Certificate), "-noout", "-text");
        Assert.Contains("CA:FALSE", text, StringComparison.Ordinal);
        Assert.DoesNotContain("CA:TRUE", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_csr_naming_a_foreign_holder_gets_the_holder_its_token_names_and_never_the_foreign_one()
    {
        var victim = "urn:cloudstack:vm:" + Guid.NewGuid();
        var mine = "urn:cloudstack:vm:" + Guid.NewGuid();
        var csr = await _openssl.CsrAsync("ec", "/CN=impostor", $"subjectAltName=URI:{victim},DNS:vm.example.internal");
        var token = await ca.Client().CallCaAsync<EnrollmentTokenCreated>(new CreateEnrollmentToken { Holder = mine, RouterId = CaFixture.BridgeRouterId });

        var enrolled = await ca.Client(CaFixture.BridgeUser).CallCaAsync<CertificateIssued>(
            new EnrollHolder { Token = token.Token, Csr = csr });

        using var leaf = X509Certificate2.CreateFromPem(enrolled.Certificate);
        Assert.Equal(mine, HolderIdentity.FromCertificate(leaf)?.Uri);
        Assert.DoesNotContain(victim, (await ca.Store.FindAsync(enrolled.SerialNumber))!.SubjectAlternativeNames, StringComparison.Ordinal);

        // without a token or an entitled holder, a CSR's URI names nobody
        var issued = await ca.Client().CallCaAsync<CertificateIssued>(new IssueCertificate { Csr = csr });
        using var anonymous = X509Certificate2.CreateFromPem(issued.Certificate);
        Assert.Null(HolderIdentity.FromCertificate(anonymous));
    }

    [Fact]
    public async Task a_csr_with_a_broken_signature_is_refused_and_nothing_is_written()
    {
        var csr = await _openssl.CsrAsync("ec", "/CN=broken.example.internal", "subjectAltName=DNS:broken.example.internal");
        var der = PemEncoding.Find(csr) is var f ? Convert.FromBase64String(csr[f.Base64Data]) : [];
        der[^3] ^= 0x55; // inside the signature
        var broken = PemEncoding.WriteString("CERTIFICATE REQUEST", der);

        await RefusedWithoutWritingAsync(new IssueCertificate { Csr = broken }, "signature");
    }

    [Fact]
    public async Task a_garbage_pem_is_refused_and_nothing_is_written() =>
        await RefusedWithoutWritingAsync(new IssueCertificate { Csr = "-----BEGIN CERTIFICATE REQUEST-----\nbm90IGEgY3Ny\n-----END CERTIFICATE REQUEST-----\n" }, "csr");

    [Fact]
    public async Task an_oversized_csr_is_refused_and_nothing_is_written() =>
        await RefusedWithoutWritingAsync(new IssueCertificate { Csr = "-----BEGIN CERTIFICATE REQUEST-----\n" + new string('A', 200_000) + "\n-----END CERTIFICATE REQUEST-----\n" },
            "at most");

    [Fact]
    public async Task a_weak_rsa_key_and_a_foreign_holder_uri_in_the_request_are_refused()
    {
        var weak = await _openssl.CsrAsync("rsa:1024", "/CN=weak.example.internal");
        await RefusedWithoutWritingAsync(new IssueCertificate { Csr = weak }, "too weak");
        await RefusedWithoutWritingAsync(new IssueCertificate { DomainNames = ["a.example"], Holder = "urn:evil:vm:1" }, "holder");
        await RefusedWithoutWritingAsync(new IssueCertificate { DomainNames = ["bad name!"] }, "DNS");
    }

    [Fact]
    public async Task an_ec_key_off_p256_and_p384_or_with_explicit_curve_parameters_is_refused()
    {
        await RefusedWithoutWritingAsync(new IssueCertificate { Csr = await _openssl.CsrAsync("ec:P-521", "/CN=p521.example.internal") }, "P-256 or P-384");
        await RefusedWithoutWritingAsync(new IssueCertificate { Csr = await _openssl.CsrAsync("ec:P-384:explicit", "/CN=explicit.example.internal") }, "P-256 or P-384");
    }

    [Fact]
    public async Task a_p384_csr_is_signed_and_the_inventory_names_exactly_the_granted_alternative_names()
    {
        var csr = await _openssl.CsrAsync("ec:P-384", "/CN=p384", "subjectAltName=DNS:b.example.internal,IP:10.9.8.7");

        var issued = await ca.Client().CallCaAsync<CertificateIssued>(new IssueCertificate
        {
            Csr = csr, DomainNames = ["a.example.internal"], Holder = "urn:cloudstack:service:p384",
        });

        var stored = await ca.Store.FindAsync(issued.SerialNumber);
        Assert.Equal("DNS:a.example.internal, DNS:b.example.internal, IP:10.9.8.7, URI:urn:cloudstack:service:p384", stored!.SubjectAlternativeNames);
        using var leaf = X509Certificate2.CreateFromPem(issued.Certificate);
        var san = leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(["a.example.internal", "b.example.internal"], san.EnumerateDnsNames());
        Assert.Equal("10.9.8.7", san.EnumerateIPAddresses().Single().ToString());
    }

    private async Task RefusedWithoutWritingAsync(object request, string reason)
    {
        var before = await ca.Store.CountAsync();
        var refused = await Assert.ThrowsAsync<CaRequestRefusedException>(() => ca.Client().CallCaAsync<CertificateIssued>(request));
        Assert.Equal(431, refused.ErrorCode);
        Assert.Contains(reason, refused.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(before, await ca.Store.CountAsync());
    }

    public void Dispose() => _openssl.Dispose();
}
