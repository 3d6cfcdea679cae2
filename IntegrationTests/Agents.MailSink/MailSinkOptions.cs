namespace Agents.MailSink;

/// <summary>
/// What the sink listens on and how: <c>--host</c>, <c>--port</c>, <c>--directory</c>, <c>--tls none|starttls|implicit</c>
/// with <c>--certificate</c>/<c>--key</c> (PEM files), <c>--user</c>; the password comes from the
/// environment (<c>MAILSINK_PASSWORD</c>), never from the command line.
/// </summary>
public sealed class MailSinkOptions
{
    public string Host { get; set; } = "127.0.0.1";
    public int Port { get; set; } = 2525;
    /// <summary>Where each message is saved as one .eml file; the SMTP conversation goes to <c>&lt;directory&gt;.log</c>.</summary>
    public string Directory { get; set; } = "mail";
    public MailSinkTls Tls { get; set; } = MailSinkTls.None;
    public string? Certificate { get; set; }
    public string? Key { get; set; }
    /// <summary>When set, a login (with <see cref="Password"/>) is required before a message is taken, and only over TLS.</summary>
    public string? User { get; set; }
    public string? Password { get; set; }

    public string ConversationLog => Directory.TrimEnd('/') + ".log";

    /// <exception cref="ArgumentException">A required option is missing.</exception>
    public void Validate()
    {
        if (Port is <= 0 or > 65535) throw new ArgumentException($"--port {Port} is not a TCP port");
        if (Tls != MailSinkTls.None && (Certificate is null || Key is null)) throw new ArgumentException($"--tls {Tls} needs --certificate and --key (PEM files)");
        if (User is not null && string.IsNullOrEmpty(Password)) throw new ArgumentException("--user needs its password in MAILSINK_PASSWORD");
    }
}
