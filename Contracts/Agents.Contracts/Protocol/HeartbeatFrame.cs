namespace Agents.Contracts.Protocol;

/// <summary>Either way; the bridge echoes the agent's heartbeat so both ends notice a dead peer.</summary>
public sealed record HeartbeatFrame(DateTimeOffset SentAt) : Frame;
