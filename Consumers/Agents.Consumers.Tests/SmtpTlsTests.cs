using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Agents.Consumers.Tests.Support;
using Agents.Contracts.Events;
using Agents.Testing;

namespace Agents.Consumers.Tests;

[Collection(BrokerCollection.Name)]
public sealed class SmtpTlsTests(BrokerFixture broker)
{
    [Fact]
    public async Task alert_email_goes_over_starttls_with_a_login_when_configured()
    {
        var pki = Path.Combine(Path.GetTempPath(), "agents-smtp-pki-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(pki);
        var (caPem, certPem, keyPem) = MakeServerCertificate(pki);
        await using var smtp = await SmtpSink.StartWithTlsAndLoginAsync(certPem, keyPem, "alerts", "s3cret-pass");
        // the test CA is the process's trust store (OpenSSL's SSL_CERT_FILE, which .NET on Linux honours); it publishes no CRL, so no revocation check
        var consumers = ConsumersProcess.Start(broker.AmqpUri("consumers"), smtp.Port,
            ["--Smtp:Host=localhost", "--Smtp:UseStartTls=true", "--Smtp:CheckCertificateRevocation=false", "--Smtp:UserName=alerts", "--Smtp:Password=s3cret-pass", "--Alerts:GroupWaitSeconds=0"],
            environment: new Dictionary<string, string> { ["SSL_CERT_FILE"] = caPem });
        await using (consumers)
        {
            await consumers.WaitUntilBoundAsync();
            await using var events = new Events(broker, "ca");
            await events.PublishAsync(Events.CertificateExpiring("7E1500", "urn:cloudstack:vm:tls").ToEvent());

            await Eventually.TrueAsync(async () => (await smtp.MailsAsync()).Count >= 1, "the e-mail over STARTTLS (the SMTP conversation is in <mail dir>.log)");
            var mail = Assert.Single(await smtp.MailsAsync());
            Assert.Equal("yes", mail.Tls);
            Assert.Equal("alerts", mail.AuthenticatedAs);
            Assert.Contains("Certificate 7E1500", mail.Subject, StringComparison.Ordinal);
            Assert.DoesNotContain("s3cret-pass", consumers.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task alert_email_goes_over_implicit_tls_to_the_pinned_server_certificate_without_a_trusted_chain()
    {
        var pki = Path.Combine(Path.GetTempPath(), "agents-smtp-pki-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(pki);
        var (_, certPem, keyPem) = MakeServerCertificate(pki);
        var pin = Convert.ToHexString(SHA256.HashData(X509Certificate2.CreateFromPem(File.ReadAllText(certPem)).RawData));
        await using var smtp = await SmtpSink.StartWithTlsAndLoginAsync(certPem, keyPem, "alerts", "s3cret-pass", implicitTls: true);
        // no SSL_CERT_FILE: the test CA is not trusted, only the pin lets the certificate through
        var consumers = ConsumersProcess.Start(broker.AmqpUri("consumers"), smtp.Port,
            ["--Smtp:Host=localhost", "--Smtp:UseImplicitTls=true", $"--Smtp:ServerCertificateSha256={pin}", "--Smtp:UserName=alerts", "--Smtp:Password=s3cret-pass", "--Alerts:GroupWaitSeconds=0"]);
        await using (consumers)
        {
            await consumers.WaitUntilBoundAsync();
            await using var events = new Events(broker, "ca");
            await events.PublishAsync(Events.CertificateExpiring("7E1501", "urn:cloudstack:vm:pinned").ToEvent());

            await Eventually.TrueAsync(async () => (await smtp.MailsAsync()).Count >= 1, "the e-mail over implicit TLS (the SMTP conversation is in <mail dir>.log)");
            var mail = Assert.Single(await smtp.MailsAsync());
            Assert.Equal("yes", mail.Tls);
            Assert.Equal("alerts", mail.AuthenticatedAs);
            Assert.Contains("Certificate 7E1501", mail.Subject, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task a_server_certificate_other_than_the_pinned_one_is_refused_before_the_password_is_sent()
    {
        var pki = Path.Combine(Path.GetTempPath(), "agents-smtp-pki-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(pki);
        var (caPem, certPem, keyPem) = MakeServerCertificate(pki);
        var otherPin = Convert.ToHexString(SHA256.HashData(X509Certificate2.CreateFromPem(File.ReadAllText(caPem)).RawData));
        await using var smtp = await SmtpSink.StartWithTlsAndLoginAsync(certPem, keyPem, "alerts", "s3cret-pass");
        // the chain is trusted (SSL_CERT_FILE), yet the pin names another certificate: the pin wins
        var consumers = ConsumersProcess.Start(broker.AmqpUri("consumers"), smtp.Port,
            ["--Smtp:Host=localhost", "--Smtp:UseStartTls=true", "--Smtp:CheckCertificateRevocation=false", $"--Smtp:ServerCertificateSha256={otherPin}", "--Smtp:UserName=alerts", "--Smtp:Password=s3cret-pass", "--Alerts:GroupWaitSeconds=0"],
            environment: new Dictionary<string, string> { ["SSL_CERT_FILE"] = caPem });
        await using (consumers)
        {
            await consumers.WaitUntilBoundAsync();
            await using var events = new Events(broker, "ca");
            await events.PublishAsync(Events.CertificateExpiring("7E1502", "urn:cloudstack:vm:wrong-pin").ToEvent());

            await Eventually.TrueAsync(() => Task.FromResult(consumers.Output.Contains("not sent, attempt 1", StringComparison.Ordinal)),
                "the consumers' log reports the e-mail not sent");
            Assert.Contains("certificate", consumers.Output[consumers.Output.IndexOf("not sent, attempt 1", StringComparison.Ordinal)..], StringComparison.OrdinalIgnoreCase);
            Assert.Empty(await smtp.MailsAsync());
            // the server's record of the conversation: the client never sent AUTH (nor anything else after STARTTLS)
            Assert.DoesNotContain(">> b'AUTH", await File.ReadAllTextAsync(smtp.Directory.TrimEnd('/') + ".log"), StringComparison.Ordinal);
        }
    }

    private static (string CaPem, string CertPem, string KeyPem) MakeServerCertificate(string dir)
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=smtp test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var cert = request.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(7), [1, 2, 3, 4, 5, 6, 7, 8]);

        var caPem = Path.Combine(dir, "ca.pem");
        var certPem = Path.Combine(dir, "server.pem");
        var keyPem = Path.Combine(dir, "server.key");
        File.WriteAllText(caPem, ca.ExportCertificatePem());
        File.WriteAllText(certPem, cert.ExportCertificatePem());
        File.WriteAllText(keyPem, key.ExportPkcs8PrivateKeyPem());
        return (caPem, certPem, keyPem);
    }
}
