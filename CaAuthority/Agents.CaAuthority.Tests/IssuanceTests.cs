using System.Security.Cryptography.X509Certificates;
using Agents.CaAuthority.Tests.Support;
using Agents.Contracts.Ca;
using Agents.Messaging.Rpc;

namespace Agents.CaAuthority.Tests;

[Collection(CaCollection.Name)]
public sealed class IssuanceTests(CaFixture ca) : IDisposable
{
    private readonly Openssl _openssl = new();

    [Theory]
    [InlineData("rsa:2048")]
    [InlineData("ec")]
    public async Task a_certificate_issued_from_an_openssl_csr_passes_openssl_verify(string key)
    {
        var csr = await _openssl.CsrAsync(key, "/CN=web.example.internal", "subjectAltName=DNS:web.example.internal,IP:10.1.1.5");
        var issued = await ca.Client().CallCaAsync<CertificateIssued>(new IssueCertificate { Csr = csr });

        var caFile = await _openssl.WriteAsync("ca.pem", issued.CaCertificate);
        var leafFile = await _openssl.WriteAsync("leaf.pem", issued.Certificate);
        var verify = await _openssl.MustAsync("verify", "-CAfile", caFile, "-purpose", "sslserver", leafFile);
        Assert.Contains(": OK", verify, StringComparison.Ordinal);

        using var leaf = X509Certificate2.CreateFromPem(issued.Certificate);
        Assert.Equal(issued.SerialNumber, leaf.SerialNumber);
        Assert.Equal(32, leaf.SerialNumber.Length);
        var san = leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(["web.example.internal"], san.EnumerateDnsNames());
        Assert.Equal("10.1.1.5", san.EnumerateIPAddresses().Single().ToString());
        Assert.NotNull(await ca.Store.FindAsync(issued.SerialNumber));
    }

    [Fact]
    public async Task issue_without_a_csr_returns_a_key_pair_once_and_the_key_matches_the_certificate()
    {
        var issued = await ca.Client().CallCaAsync<CertificateIssued>(new IssueCertificate
        {
            DomainNames = ["svc.example.internal"], IpAddresses = ["fd00::5"], Holder = "urn:cloudstack:service:api",
        });

        Assert.NotNull(issued.PrivateKey);
        using var withKey = X509Certificate2.CreateFromPem(issued.Certificate, issued.PrivateKey);
        Assert.True(withKey.HasPrivateKey);
        var stored = await ca.Store.FindAsync(issued.SerialNumber);
        Assert.NotNull(stored);
        Assert.DoesNotContain("PRIVATE KEY", stored.Pem, StringComparison.Ordinal);
        Assert.Contains("URI:urn:cloudstack:service:api", stored.SubjectAlternativeNames, StringComparison.Ordinal);
        Assert.Contains("IP:fd00::5", stored.SubjectAlternativeNames, StringComparison.Ordinal);
        var verify = await _openssl.MustAsync("verify", "-CAfile", await _openssl.WriteAsync("ca.pem", issued.CaCertificate),
            await _openssl.WriteAsync("leaf.pem", issued.Certificate));
        Assert.Contains(": OK", verify, StringComparison.Ordinal);
    }

    [Fact]
    public async Task every_leaf_carries_the_crl_distribution_point_the_ca_serves()
    {
        var issued = await ca.Client().CallCaAsync<CertificateIssued>(new IssueCertificate { DomainNames = ["cdp.example.internal"] });
        var text = await _openssl.MustAsync("x509", "-in", await _openssl.WriteAsync("leaf.pem", issued.Certificate), "-noout", "-text");

        var crlUrl = $"{ca.BaseUrl}/ca/crl";
        Assert.Contains($"URI:{crlUrl}", text, StringComparison.Ordinal);
        Assert.Contains("CA:FALSE", text, StringComparison.Ordinal);
        Assert.Contains("TLS Web Server Authentication, TLS Web Client Authentication", text, StringComparison.Ordinal);
        using var response = await ca.Http.GetAsync(new Uri(crlUrl));
        Assert.True(response.IsSuccessStatusCode, $"GET {crlUrl}: {(int)response.StatusCode}");
        Assert.Equal("application/pkix-crl", response.Content.Headers.ContentType?.MediaType);
        var info = await ca.Client().CallCaAsync<CaCertificate>(new GetCaCertificate());
        Assert.Equal(crlUrl, info.CrlUrl);
        Assert.Equal(info.Certificate.Trim(), (await ca.Http.GetStringAsync(new Uri($"{ca.BaseUrl}/ca/certificate"))).Trim());
    }

    public void Dispose() => _openssl.Dispose();
}
