namespace Agents.Contracts.Protocol;

/// <summary>Agent → bridge over mutual TLS: a CSR for a fresh key; the current certificate proves who asks.</summary>
public sealed record RenewFrame(string CsrPem) : Frame;
