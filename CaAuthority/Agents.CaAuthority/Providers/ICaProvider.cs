using Agents.Contracts.Ca;

namespace Agents.CaAuthority.Providers;

/// <summary>
/// A certificate authority behind the CA framework (CloudStack's CAProvider): the built-in
/// <c>root</c> provider, or an external CA plugged in the same way.
/// </summary>
public interface ICaProvider
{
    string Name { get; }
    string Description { get; }

    Task<CertificateIssued> IssueAsync(IssueCertificate request, CancellationToken ct);
    Task<CertificateIssued> EnrollAsync(EnrollHolder request, CancellationToken ct);
    Task<CertificateIssued> RenewAsync(RenewCertificate request, CancellationToken ct);
    Task<CertificateRevocationRecorded> RevokeAsync(RevokeCertificate request, CancellationToken ct);
    Task<EnrollmentTokenCreated> CreateEnrollmentTokenAsync(CreateEnrollmentToken request, CancellationToken ct);
    Task<HolderCertificate> HolderCertificateAsync(string holder, CancellationToken ct);
    CaCertificate CaCertificate();
}
