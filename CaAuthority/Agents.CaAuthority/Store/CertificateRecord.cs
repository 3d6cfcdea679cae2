namespace Agents.CaAuthority.Store;

public enum CertificateStatus { Valid, Revoked, Superseded }

/// <summary>One issued certificate in the inventory. Written before the certificate leaves the CA.</summary>
public sealed record CertificateRecord
{
    /// <summary>Upper-case hex, as issued (X509Certificate2.SerialNumber).</summary>
    public required string SerialNumber { get; init; }
    public required string Subject { get; init; }
    /// <summary>SANs as "DNS:…", "IP:…", "URI:…", comma separated.</summary>
    public required string SubjectAlternativeNames { get; init; }
    public string? Holder { get; init; }
    public string? RouterId { get; init; }
    public required DateTimeOffset NotBefore { get; init; }
    public required DateTimeOffset NotAfter { get; init; }
    public CertificateStatus Status { get; init; } = CertificateStatus.Valid;
    public DateTimeOffset? RevokedAt { get; init; }
    public string? RevocationReason { get; init; }
    public required string Pem { get; init; }
    public DateTimeOffset? LastExpiryAlertAt { get; init; }
    public DateTimeOffset? RenewalRequestedAt { get; init; }
}

/// <summary>A one-time enrollment token, stored only as its SHA-256.</summary>
public sealed record EnrollmentTokenRecord(string Hash, string Holder, string? RouterId, DateTimeOffset ExpiresAt, DateTimeOffset? UsedAt);
