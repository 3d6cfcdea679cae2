namespace Agents.Contracts.Ca;

/// <summary>A certificate as issued. <see cref="PrivateKey"/> is set only when the CA made the key, and only in this one answer.</summary>
public sealed record CertificateIssued
{
    public required string SerialNumber { get; init; }
    public required string Certificate { get; init; }
    public required string CaCertificate { get; init; }
    public string? PrivateKey { get; init; }
    public string? Holder { get; init; }
    public required DateTimeOffset NotAfter { get; init; }
}

public sealed record CertificateRevocationRecorded
{
    public required string SerialNumber { get; init; }
    public required DateTimeOffset RevokedAt { get; init; }
    public required long CrlNumber { get; init; }
}

public sealed record ProvisionRequested
{
    public required string Holder { get; init; }
    public required Guid JobId { get; init; }
}

/// <summary>The token is returned once; the CA keeps only its hash.</summary>
public sealed record EnrollmentTokenCreated
{
    public required string Token { get; init; }
    public required string Holder { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
}

public sealed record CaCertificate
{
    public required string Provider { get; init; }
    public required string Certificate { get; init; }
    public string? CrlUrl { get; init; }
}

public sealed record CaProviders
{
    public required IReadOnlyList<CaProviderInfo> Providers { get; init; }
}

public sealed record CaProviderInfo
{
    public required string Name { get; init; }
    public required string Description { get; init; }
}

/// <summary>The CA refused or failed a request. <see cref="ErrorCode"/> follows CloudStack's API codes (431 bad parameter, 530 internal).</summary>
public sealed record CaError
{
    public required int ErrorCode { get; init; }
    public required string ErrorText { get; init; }
}

/// <summary>A holder's current certificate (public material only).</summary>
public sealed record HolderCertificate
{
    public required string Holder { get; init; }
    public required string SerialNumber { get; init; }
    public required string Certificate { get; init; }
    public required DateTimeOffset NotAfter { get; init; }
}
