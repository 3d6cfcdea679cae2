namespace Agents.Contracts.Ca;

/// <summary>A holder's current certificate (public material only).</summary>
public sealed record HolderCertificate
{
    public required string Holder { get; init; }
    public required string SerialNumber { get; init; }
    public required string Certificate { get; init; }
    public required DateTimeOffset NotAfter { get; init; }
}
