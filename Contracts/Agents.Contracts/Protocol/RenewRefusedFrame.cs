namespace Agents.Contracts.Protocol;

/// <summary>Bridge → agent: the renewal was refused, with the reason.</summary>
public sealed record RenewRefusedFrame(string Reason) : Frame;
