namespace Agents.Contracts.Ca;

/// <summary>The current (newest valid, unrevoked) certificate of a holder: the API seals secrets to its key.</summary>
public sealed record GetHolderCertificate
{
    public required string Holder { get; init; }
}
