namespace Agents.MailSink;

public enum MailSinkTls
{
    /// <summary>Plain SMTP.</summary>
    None,
    /// <summary>STARTTLS offered; a login (when required) only after it.</summary>
    StartTls,
    /// <summary>TLS from the first byte (SMTPS).</summary>
    Implicit,
}
