namespace Agents.Security.Tls;

/// <summary>
/// CloudStack's two switches for mutual TLS. <see cref="Strict"/> (ca.plugin.root.auth.strictness):
/// a valid client certificate is required; when off, a client without one is admitted as anonymous
/// (and the caller limits what anonymous may do). <see cref="AllowExpired"/>
/// (ca.plugin.root.allow.expired.cert): an expired, otherwise valid certificate still passes.
/// A certificate that is present but bad (untrusted, revoked) is refused either way.
/// <see cref="AnonymousEnrollment"/>: the one exception to strictness, for a server whose clients
/// get their first certificate through it (the bridge's agent listener): a client without a
/// certificate passes the handshake as anonymous even when strict, and the server must then allow
/// it nothing but an enrollment with a valid one-time token (and rate-limit that).
/// </summary>
public sealed record MutualTlsPolicy(bool Strict = true, bool AllowExpired = false, bool AnonymousEnrollment = false);

public enum PeerStatus { Trusted, Anonymous, Refused }

/// <summary>The verdict on a peer's certificate; <see cref="Reason"/> says why when it is refused.</summary>
public sealed record PeerVerdict(PeerStatus Status, string? Reason = null)
{
    public static PeerVerdict Trusted { get; } = new(PeerStatus.Trusted);
    public static PeerVerdict Anonymous { get; } = new(PeerStatus.Anonymous);
    public static PeerVerdict Refuse(string reason) => new(PeerStatus.Refused, reason);
    public bool Admitted => Status != PeerStatus.Refused;
}
