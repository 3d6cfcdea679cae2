using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Agents.CaAuthority.Tests.Support;
using Agents.Contracts;
using Agents.Contracts.Ca;
using Agents.Contracts.Events;
using Agents.Messaging.Rpc;
using Agents.Security.Tls;
using RabbitMQ.Client;

namespace Agents.CaAuthority.Tests;

[Collection(CaCollection.Name)]
public sealed class RevocationTests(CaFixture ca) : IDisposable
{
    private readonly Openssl _openssl = new();

    [Fact]
    public async Task after_revocation_openssl_crl_check_with_the_crl_fetched_over_http_reports_the_certificate_revoked()
    {
        var csr = await _openssl.CsrAsync("ec", "/CN=revoke-me.example.internal", "subjectAltName=DNS:revoke-me.example.internal");
        var rpc = ca.Client();
        var issued = await rpc.CallCaAsync<CertificateIssued>(new IssueCertificate { Csr = csr });
        var caFile = await _openssl.WriteAsync("ca.pem", issued.CaCertificate);
        var leafFile = await _openssl.WriteAsync("leaf.pem", issued.Certificate);
        Assert.Contains(": OK", await _openssl.MustAsync("verify", "-crl_check", "-CAfile", caFile, "-CRLfile", await FetchCrlAsync(issued, "before.pem"), leafFile),
            StringComparison.Ordinal);

        var recorded = await rpc.CallCaAsync<CertificateRevocationRecorded>(new RevokeCertificate { SerialNumber = issued.SerialNumber, Reason = "keyCompromise" });

        Assert.Equal(issued.SerialNumber, recorded.SerialNumber);
        var verify = await _openssl.RunAsync("verify", "-crl_check", "-CAfile", caFile, "-CRLfile", await FetchCrlAsync(issued, "after.pem"), leafFile);
        Assert.NotEqual(0, verify.ExitCode);
        Assert.Contains("certificate revoked", verify.Output, StringComparison.Ordinal);
        var stored = await ca.Store.FindAsync(issued.SerialNumber);
        Assert.Equal(Store.CertificateStatus.Revoked, stored!.Status);
        Assert.Equal("KeyCompromise", stored.RevocationReason);
    }

    [Fact]
    public async Task a_revocation_event_goes_out_on_cloudstack_events_before_the_revoke_is_answered()
    {
        await using var connection = await ca.Broker.ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();
        var queue = (await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true)).QueueName;
        await channel.QueueBindAsync(queue, Topology.EventsExchange, "*.ActionEvent.CA-CERTIFICATE-REVOKE.#");
        var rpc = ca.Client();
        var issued = await rpc.CallCaAsync<CertificateIssued>(new IssueCertificate { DomainNames = ["event.example.internal"] });

        await rpc.CallCaAsync<CertificateRevocationRecorded>(new RevokeCertificate { SerialNumber = issued.SerialNumber });

        // confirmed before the answer: it is already in the queue, no waiting
        var delivery = await channel.BasicGetAsync(queue, autoAck: true);
        Assert.NotNull(delivery);
        Assert.Equal($"management-server.ActionEvent.CA-CERTIFICATE-REVOKE.Certificate.{issued.SerialNumber}", delivery.RoutingKey);
        // read exactly as the bridge's RevocationWatcher reads it
        var revoked = CertificateChanged.FromEvent(CloudStackEvent.Read(delivery.RoutingKey, delivery.Body.Span));
        Assert.Equal(issued.SerialNumber, revoked.SerialNumber);
        Assert.Equal(EventTypes.CertificateRevoked, revoked.EventType);
    }

    [Fact]
    public async Task the_crl_number_strictly_increases_with_each_revocation()
    {
        var rpc = ca.Client();
        var numbers = new List<BigInteger> { CrlNumber(await ca.Http.GetByteArrayAsync(new Uri($"{ca.BaseUrl}/ca/crl"))) };
        for (var i = 0; i < 3; i++)
        {
            var issued = await rpc.CallCaAsync<CertificateIssued>(new IssueCertificate { DomainNames = [$"n{i}.example.internal"] });
            var recorded = await rpc.CallCaAsync<CertificateRevocationRecorded>(new RevokeCertificate { SerialNumber = issued.SerialNumber });
            var served = CrlNumber(await ca.Http.GetByteArrayAsync(new Uri($"{ca.BaseUrl}/ca/crl")));
            Assert.True(served >= recorded.CrlNumber, $"served CRL {served} is older than the revocation's {recorded.CrlNumber}");
            numbers.Add(served);
        }
        for (var i = 1; i < numbers.Count; i++)
            Assert.True(numbers[i] > numbers[i - 1], $"CRL numbers {string.Join(", ", numbers)} do not strictly increase");
    }

    [Fact]
    public async Task revoking_an_unknown_serial_is_refused_and_a_repeat_revocation_keeps_the_first_time()
    {
        var rpc = ca.Client();
        var unknown = await Assert.ThrowsAsync<CaRequestRefusedException>(() =>
            rpc.CallCaAsync<CertificateRevocationRecorded>(new RevokeCertificate { SerialNumber = "0123456789ABCDEF" }));
        Assert.Equal(431, unknown.ErrorCode);
        var issued = await rpc.CallCaAsync<CertificateIssued>(new IssueCertificate { DomainNames = ["twice.example.internal"] });
        var first = await rpc.CallCaAsync<CertificateRevocationRecorded>(new RevokeCertificate { SerialNumber = issued.SerialNumber });
        var second = await rpc.CallCaAsync<CertificateRevocationRecorded>(new RevokeCertificate { SerialNumber = issued.SerialNumber });
        Assert.Equal(first.RevokedAt, second.RevokedAt);
    }

    [Fact]
    public async Task the_crl_the_ca_serves_verifies_against_the_ca_certificate_and_a_tampered_copy_is_refused()
    {
        var rpc = ca.Client();
        var issued = await rpc.CallCaAsync<CertificateIssued>(new IssueCertificate { DomainNames = ["crl-verify.example.internal"] });
        await rpc.CallCaAsync<CertificateRevocationRecorded>(new RevokeCertificate { SerialNumber = issued.SerialNumber, Reason = "keyCompromise" });
        using var caCertificate = X509Certificate2.CreateFromPem(issued.CaCertificate);
        var der = await ca.Http.GetByteArrayAsync(new Uri($"{ca.BaseUrl}/ca/crl"));

        var crl = SignedCrl.Verify(der, caCertificate);

        Assert.Contains(issued.SerialNumber.Replace(":", "", StringComparison.Ordinal), crl.Serials, StringComparer.OrdinalIgnoreCase);
        Assert.Equal(CrlNumber(der), crl.Number);
        Assert.NotNull(crl.NextUpdate);
        var tampered = (byte[])der.Clone();
        tampered[^5] ^= 0x01; // inside the signature
        Assert.Throws<CryptographicException>(() => SignedCrl.Verify(tampered, caCertificate));
        var listTampered = (byte[])der.Clone();
        listTampered[der.Length / 3] ^= 0x01; // inside the signed list
        Assert.Throws<CryptographicException>(() => SignedCrl.Verify(listTampered, caCertificate));
    }

    private async Task<string> FetchCrlAsync(CertificateIssued issued, string name)
    {
        using var leaf = X509Certificate2.CreateFromPem(issued.Certificate);
        var cdp = leaf.Extensions.OfType<X509Extension>().Single(e => e.Oid?.Value == "2.5.29.31");
        var url = System.Text.Encoding.ASCII.GetString(cdp.RawData);
        url = url[url.IndexOf("http", StringComparison.Ordinal)..];
        var der = await _openssl.WriteAsync(name + ".der", "");
        await File.WriteAllBytesAsync(der, await ca.Http.GetByteArrayAsync(new Uri(url)));
        await _openssl.MustAsync("crl", "-inform", "DER", "-in", der, "-out", _openssl.PathOf(name));
        return _openssl.PathOf(name);
    }

    private static BigInteger CrlNumber(byte[] crl)
    {
        CertificateRevocationListBuilder.Load(crl, out var number);
        return number;
    }

    public void Dispose() => _openssl.Dispose();
}
