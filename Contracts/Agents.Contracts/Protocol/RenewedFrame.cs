namespace Agents.Contracts.Protocol;

/// <summary>Bridge → agent: the renewed certificate, with the CA's.</summary>
public sealed record RenewedFrame(string CertificatePem, string CaCertificatePem) : Frame;
