namespace Agents.RouterBridge.Core.Agents;

/// <summary>Either an issued certificate (PEM, with the CA's PEM) or a refusal reason.</summary>
public sealed record EnrollmentAnswer(string? CertificatePem, string? CaCertificatePem, string? RefusalReason)
{
    public static EnrollmentAnswer Issued(string certificatePem, string caCertificatePem) => new(certificatePem, caCertificatePem, null);
    public static EnrollmentAnswer Refused(string reason) => new(null, null, reason);
    public bool IsIssued => CertificatePem is not null;
}
