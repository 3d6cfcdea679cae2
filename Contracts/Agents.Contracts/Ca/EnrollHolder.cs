namespace Agents.Contracts.Ca;

/// <summary>First enrollment: a one-time token and a CSR. The token decides the holder.</summary>
public sealed record EnrollHolder
{
    public required string Token { get; init; }
    public required string Csr { get; init; }
}
