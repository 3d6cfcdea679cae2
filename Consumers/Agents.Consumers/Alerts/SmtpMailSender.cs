using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using MimeKit.Text;

namespace Agents.Consumers.Alerts;

/// <summary>Real SMTP through MailKit: STARTTLS or implicit TLS, SASL login and a pinnable server certificate when configured; one connection per e-mail.</summary>
public sealed class SmtpMailSender(IOptions<SmtpOptions> smtp, IOptions<AlertOptions> alerts) : IMailSender
{
    public async Task SendAsync(OutboxMail mail, CancellationToken ct)
    {
        var o = smtp.Value;
        using var message = Message(mail, alerts.Value.From);
        using var client = new SmtpClient { Timeout = o.TimeoutSeconds * 1000, CheckCertificateRevocation = o.CheckCertificateRevocation };
        if (!string.IsNullOrEmpty(o.ServerCertificateSha256))
            client.ServerCertificateValidationCallback = (_, certificate, _, _) => IsPinned(certificate, o.ServerCertificateSha256);
        await client.ConnectAsync(o.Host, o.Port, Security(o), ct).ConfigureAwait(false);
        if (!string.IsNullOrEmpty(o.UserName))
            await client.AuthenticateAsync(new NetworkCredential(o.UserName, o.Password), ct).ConfigureAwait(false);
        await client.SendAsync(message, ct).ConfigureAwait(false);
        await client.DisconnectAsync(quit: true, ct).ConfigureAwait(false);
    }

    private static SecureSocketOptions Security(SmtpOptions o) =>
        o.UseImplicitTls ? SecureSocketOptions.SslOnConnect : o.UseStartTls ? SecureSocketOptions.StartTls : SecureSocketOptions.None;

    /// <summary>A pin replaces the chain check: the server's certificate must be exactly this one.</summary>
    private static bool IsPinned(X509Certificate? certificate, string sha256Hex) =>
        certificate is not null
        && CryptographicOperations.FixedTimeEquals(SHA256.HashData(certificate.GetRawCertData()), Convert.FromHexString(SmtpOptions.NormalizeFingerprint(sha256Hex)));

    private static MimeMessage Message(OutboxMail mail, string from)
    {
        var message = new MimeMessage
        {
            Subject = mail.Subject,
            // the same id on every attempt: a mail system that got it before can drop the copy
            MessageId = $"{mail.MailId}@agents-framework",
        };
        message.From.Add(MailboxAddress.Parse(from));
        foreach (var to in mail.Recipients) message.To.Add(MailboxAddress.Parse(to));
        message.Headers.Add("X-Agents-Alert-Group", mail.GroupKey.ReplaceLineEndings(" "));
        message.Headers.Add("X-Agents-Alert-Kind", mail.Kind);
        // UTF-8 quoted-printable always: short ASCII lines stay readable in the stored .eml, and no
        // line reaches SMTP's 1,000-octet limit
        message.Body = new TextPart(TextFormat.Plain) { Text = mail.Body, ContentTransferEncoding = ContentEncoding.QuotedPrintable };
        return message;
    }
}
