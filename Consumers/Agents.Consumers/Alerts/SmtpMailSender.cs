using System.Net;
using System.Net.Mail;
using System.Net.Mime;
using System.Text;
using Microsoft.Extensions.Options;

namespace Agents.Consumers.Alerts;

public interface IMailSender
{
    Task SendAsync(OutboxMail mail, CancellationToken ct);
}

/// <summary>Real SMTP through System.Net.Mail: STARTTLS and login when configured, one connection per e-mail.</summary>
public sealed class SmtpMailSender(IOptions<SmtpOptions> smtp, IOptions<AlertOptions> alerts) : IMailSender
{
    public async Task SendAsync(OutboxMail mail, CancellationToken ct)
    {
        var o = smtp.Value;
        using var client = new SmtpClient(o.Host, o.Port)
        {
            EnableSsl = o.UseStartTls,
            DeliveryMethod = SmtpDeliveryMethod.Network,
            Timeout = o.TimeoutSeconds * 1000,
            UseDefaultCredentials = false,
        };
        if (!string.IsNullOrEmpty(o.UserName)) client.Credentials = new NetworkCredential(o.UserName, o.Password);
        // UTF-8 quoted-printable always: short ASCII lines stay readable in the stored .eml, and no line
        // reaches SMTP's 1,000-octet limit (a 7bit body was refused with "Line too long" by aiosmtpd 1.4
        // in the demo, although its own lines were short)
        using var message = new MailMessage
        {
            From = new MailAddress(alerts.Value.From),
            Subject = mail.Subject,
            Body = mail.Body,
            SubjectEncoding = Ascii.IsValid(mail.Subject) ? null : Encoding.UTF8,
            BodyEncoding = Encoding.UTF8,
            BodyTransferEncoding = TransferEncoding.QuotedPrintable,
            IsBodyHtml = false,
        };
        foreach (var to in mail.Recipients) message.To.Add(to);
        // the same id on every attempt: a mail system that got it before can drop the copy
        message.Headers.Add("Message-ID", $"<{mail.MailId}@agents-framework>");
        message.Headers.Add("X-Agents-Alert-Group", mail.GroupKey.ReplaceLineEndings(" "));
        message.Headers.Add("X-Agents-Alert-Kind", mail.Kind);
        await client.SendMailAsync(message, ct).ConfigureAwait(false);
    }
}
