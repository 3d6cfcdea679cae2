namespace Agents.Producers.Presence;

/// <summary>An agent as the bridges last reported it (AGENT.STATE ResourceStateEvents).</summary>
public sealed record AgentInfo(
    string VmId, string? RouterId, string State, string? AgentVersion, string? Address,
    string? CertificateSerial, string? CertificateNotAfter, string? Capabilities, string? Reason, DateTimeOffset Changed);
