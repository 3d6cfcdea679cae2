namespace Agents.Contracts.Ca;

public sealed record CaCertificate
{
    public required string Provider { get; init; }
    public required string Certificate { get; init; }
    public string? CrlUrl { get; init; }
}
