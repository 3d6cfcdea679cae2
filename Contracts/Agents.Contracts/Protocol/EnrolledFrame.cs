namespace Agents.Contracts.Protocol;

/// <summary>Bridge → agent: the certificate the CA issued for the enrollment, with the CA's.</summary>
public sealed record EnrolledFrame(string CertificatePem, string CaCertificatePem) : Frame;
