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
