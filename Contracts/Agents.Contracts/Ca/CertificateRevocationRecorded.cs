namespace Agents.Contracts.Ca;

public sealed record CertificateRevocationRecorded
{
    public required string SerialNumber { get; init; }
    public required DateTimeOffset RevokedAt { get; init; }
    public required long CrlNumber { get; init; }
}
