namespace Agents.Contracts.Ca;

/// <summary>The token is returned once; the CA keeps only its hash.</summary>
public sealed record EnrollmentTokenCreated
{
    public required string Token { get; init; }
    public required string Holder { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
}
