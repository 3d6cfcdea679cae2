namespace Agents.Contracts.Protocol;

/// <summary>Agent → bridge over server-authenticated TLS (no client certificate yet): a one-time token and a CSR.</summary>
public sealed record EnrollFrame(string Token, string CsrPem) : Frame;
