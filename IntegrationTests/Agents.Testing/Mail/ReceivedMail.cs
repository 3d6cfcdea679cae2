namespace Agents.Testing;

/// <summary>One message an <see cref="SmtpSink"/> saved.</summary>
public sealed record ReceivedMail(string File, string Subject, IReadOnlyList<string> To, string EnvelopeTo, string From, string MessageId, string Body)
{
    /// <summary>The login the server accepted (null on a server without TLS or login).</summary>
    public string? AuthenticatedAs { get; init; }
    /// <summary>"yes" when the message came over TLS (null on a plain server).</summary>
    public string? Tls { get; init; }
}
