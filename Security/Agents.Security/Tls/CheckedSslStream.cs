using System.Net.Security;

namespace Agents.Security.Tls;

/// <summary>
/// A server-side TLS stream that remembers why <see cref="MutualTls"/> refused its peer's
/// certificate. .NET only says "the remote certificate was rejected"; a listener that accepts
/// on this stream can log and audit the real reason (untrusted chain, revoked, expired, none).
/// </summary>
public sealed class CheckedSslStream(Stream innerStream, bool leaveInnerStreamOpen) : SslStream(innerStream, leaveInnerStreamOpen)
{
    /// <summary>Set by the certificate check when it refused the peer; null when it did not (or never ran).</summary>
    public PeerRefusal? Refusal { get; internal set; }
}
