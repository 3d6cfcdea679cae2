namespace Agents.Contracts.Protocol;

/// <summary>Agent → bridge, first frame after a mutual-TLS handshake. <see cref="Capabilities"/>: the command types its handlers and policy allow.</summary>
public sealed record HelloFrame(int ProtocolVersion, string AgentVersion, IReadOnlyList<string> Capabilities, string? Os = null, string? Hostname = null) : Frame
{
    public const int CurrentProtocolVersion = 1;
}
