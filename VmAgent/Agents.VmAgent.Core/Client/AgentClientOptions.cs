using Agents.Contracts.Protocol;

namespace Agents.VmAgent.Core.Client;

/// <summary>How the agent reaches its router. Every setting is documented in docs/operations.md (section "The VM agent").</summary>
public sealed class AgentClientOptions
{
    public const int DefaultPort = 8443;

    /// <summary>Router addresses: IPv4, IPv6 (<c>::1</c> or <c>[::1]:8443</c>) or names, tried in order. Empty: discover as CloudStack's guest scripts do.</summary>
    public IReadOnlyList<string> RouterAddresses { get; init; } = [];
    public int Port { get; init; } = DefaultPort;
    public required string DataDirectory { get; init; }
    /// <summary>The name the router's certificate is checked for in SNI; the router is authenticated by its holder SAN, not by this name.</summary>
    public string TlsServerName { get; init; } = "cloudstack-router";
    public string? EnrollmentToken { get; init; }
    /// <summary>A file holding only the one-time token, read when the agent enrolls (after <see cref="EnrollmentToken"/>, before the environment).</summary>
    public string? EnrollmentTokenFile { get; init; }
    public string? UserDataFile { get; init; }
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(15);
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(60);
    public TimeSpan RenewalAnswerTimeout { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>Renew at this fraction of the certificate's lifetime (± 5 % of the lifetime as jitter).</summary>
    public double RenewAtFraction { get; init; } = 2.0 / 3.0;
    public int MaxFrameBytes { get; init; } = FrameCodec.DefaultMaxFrameBytes;
    /// <summary>While connected and idle, give back the memory only the start and the last commands used (<see cref="Os.IdleMemoryTrimmer"/>; Linux). Off here, since the trim acts on the whole process; the agent's program turns it on.</summary>
    public bool TrimIdleMemory { get; init; }
    public string AgentVersion { get; init; } = typeof(AgentClientOptions).Assembly.GetName().Version?.ToString() ?? "0.0.0";
}
