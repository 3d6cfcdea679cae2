using System.Net;
using Agents.Contracts.Protocol;

namespace Agents.RouterBridge.Core.Agents;

public sealed class AgentListenerOptions
{
    /// <summary>IPv6Any listens dual-stack (IPv4-mapped addresses included).</summary>
    public IPAddress Address { get; init; } = IPAddress.IPv6Any;
    /// <summary>0 picks a free port (tests); see <see cref="AgentListener.LocalEndPoint"/>.</summary>
    public int Port { get; init; } = 8443;
    public int Backlog { get; init; } = 1024;
    public int MaxFrameBytes { get; init; } = FrameCodec.DefaultMaxFrameBytes;
    /// <summary>A TLS handshake (or the first frame after it) that takes longer is closed: stalled clients hold nothing.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>A session that sends nothing for this long is reported missing and closed (agents beat every 30 s).</summary>
    public TimeSpan HeartbeatTimeout { get; init; } = TimeSpan.FromSeconds(95);
    public TimeSpan EnrollmentTimeout { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Enrollment attempts (connections without a certificate) one source address may make per minute; more are refused without reaching the CA.</summary>
    public int EnrollmentRateLimit { get; init; } = 60;
    /// <summary>
    /// ca.plugin.root.auth.strictness as in force now, read per connection without a certificate:
    /// when on, such a connection that does not end in an issued certificate is a refusal (reported
    /// as one); when off it is only logged.
    /// </summary>
    public Func<bool> Strict { get; init; } = static () => true;
}
