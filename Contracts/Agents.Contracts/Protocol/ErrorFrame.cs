namespace Agents.Contracts.Protocol;

/// <summary>Either way, just before closing: why the connection is being closed.</summary>
public sealed record ErrorFrame(string Reason) : Frame;
