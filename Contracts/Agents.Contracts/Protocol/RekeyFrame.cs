namespace Agents.Contracts.Protocol;

/// <summary>Bridge → agent: make a new key and renew now (provisionCertificate).</summary>
public sealed record RekeyFrame(bool Reconnect) : Frame;
