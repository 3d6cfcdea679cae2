namespace Agents.Contracts.Ca;

public sealed record RevokeCertificate
{
    public required string SerialNumber { get; init; }
    public string? CommonName { get; init; }
    public string? Reason { get; init; }
}
