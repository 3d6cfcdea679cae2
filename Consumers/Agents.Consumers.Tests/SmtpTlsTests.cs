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
    private const string Login = "--Smtp:UserName=alerts";
    private const string Password = "--Smtp:Password=s3cret-pass";

    [Fact]
    public async Task alert_email_goes_over_starttls_with_a_login_when_configured()
    {
        var (caPem, certPem, keyPem) = MakeServerCertificate();
        await using var smtp = await SmtpSink.StartWithTlsAndLoginAsync(certPem, keyPem, "alerts", "s3cret-pass");
        // the test CA is the process's trust store (OpenSSL's SSL_CERT_FILE, which .NET on Linux honours); it publishes no CRL, so no revocation check
        await using var consumers = await AlertThroughAsync(smtp, ["--Smtp:UseStartTls=true", "--Smtp:CheckCertificateRevocation=false"], caPem, "7E1500");

        await Eventually.TrueAsync(async () => (await smtp.MailsAsync()).Count >= 1, "the e-mail over STARTTLS (the SMTP commands are in <mail dir>.log)");
        var mail = Assert.Single(await smtp.MailsAsync());
        Assert.Equal("yes", mail.Tls);
        Assert.Equal("alerts", mail.AuthenticatedAs);
        Assert.Contains("Certificate 7E1500", mail.Subject, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pass", consumers.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task alert_email_goes_over_implicit_tls_to_the_pinned_server_certificate_without_a_trusted_chain()
    {
        var (_, certPem, keyPem) = MakeServerCertificate();
        await using var smtp = await SmtpSink.StartWithTlsAndLoginAsync(certPem, keyPem, "alerts", "s3cret-pass", implicitTls: true);
        // no SSL_CERT_FILE: the test CA is not trusted, only the pin lets the certificate through
        await using var consumers = await AlertThroughAsync(smtp, ["--Smtp:UseImplicitTls=true", $"--Smtp:ServerCertificateSha256={Sha256Of(certPem)}"], null, "7E1501");

        await Eventually.TrueAsync(async () => (await smtp.MailsAsync()).Count >= 1, "the e-mail over implicit TLS (the SMTP commands are in <mail dir>.log)");
        var mail = Assert.Single(await smtp.MailsAsync());
        Assert.Equal("yes", mail.Tls);
        Assert.Equal("alerts", mail.AuthenticatedAs);
        Assert.Contains("Certificate 7E1501", mail.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_server_certificate_other_than_the_pinned_one_is_refused_before_the_password_is_sent()
    {
        var (caPem, certPem, keyPem) = MakeServerCertificate();
        await using var smtp = await SmtpSink.StartWithTlsAndLoginAsync(certPem, keyPem, "alerts", "s3cret-pass");
        // the chain is trusted (SSL_CERT_FILE), yet the pin names another certificate: the pin wins
        await using var consumers = await AlertThroughAsync(smtp,
            ["--Smtp:UseStartTls=true", "--Smtp:CheckCertificateRevocation=false", $"--Smtp:ServerCertificateSha256={Sha256Of(caPem)}"], caPem, "7E1502");

        await Eventually.TrueAsync(() => Task.FromResult(consumers.Output.Contains("not sent, attempt 1", StringComparison.Ordinal)),
            "the consumers' log reports the e-mail not sent");
        Assert.Contains("certificate", consumers.Output[consumers.Output.IndexOf("not sent, attempt 1", StringComparison.Ordinal)..], StringComparison.OrdinalIgnoreCase);
        Assert.Empty(await smtp.MailsAsync());
        // the server's record of the conversation: the client asked for STARTTLS, then never sent AUTH (nor anything else)
        var conversation = await File.ReadAllTextAsync(smtp.ConversationLog);
        Assert.Contains(" STARTTLS", conversation, StringComparison.Ordinal);
        Assert.DoesNotContain(" AUTH", conversation, StringComparison.Ordinal);
    }

    /// <summary>The consumers with <paramref name="tls"/> and the login, trusting <paramref name="trustedCa"/> when given, once a certificate-expiring alert for <paramref name="serial"/> is published.</summary>
    private async Task<ConsumersProcess> AlertThroughAsync(SmtpSink smtp, string[] tls, string? trustedCa, string serial)
    {
        var consumers = ConsumersProcess.Start(broker.AmqpUri("consumers"), smtp.Port,
            ["--Smtp:Host=localhost", .. tls, Login, Password, "--Alerts:GroupWaitSeconds=0"],
            environment: trustedCa is null ? null : new Dictionary<string, string> { ["SSL_CERT_FILE"] = trustedCa });
        try
        {
            await consumers.WaitUntilBoundAsync();
            await using var events = new Events(broker, "ca");
            await events.PublishAsync(Events.CertificateExpiring(serial, "urn:cloudstack:vm:" + serial).ToEvent());
            return consumers;
        }
        catch
        {
            await consumers.DisposeAsync();
            throw;
        }
    }

    private static string Sha256Of(string pemFile) =>
        Convert.ToHexString(SHA256.HashData(X509Certificate2.CreateFromPem(File.ReadAllText(pemFile)).RawData));

    private static (string CaPem, string CertPem, string KeyPem) MakeServerCertificate()
    {
        var dir = Directory.CreateTempSubdirectory("agents-smtp-pki-").FullName;
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
