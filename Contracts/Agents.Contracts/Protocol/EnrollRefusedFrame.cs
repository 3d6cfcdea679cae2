namespace Agents.Contracts.Protocol;

/// <summary>Bridge → agent: the enrollment was refused (unknown or used token, bad CSR, CA unreachable).</summary>
public sealed record EnrollRefusedFrame(string Reason) : Frame;
