namespace Agents.Contracts.Ca;

/// <summary>Renewal by a holder that proves it holds its current, unrevoked certificate (relayed by its bridge after mutual TLS).</summary>
public sealed record RenewCertificate
{
    public required string CurrentCertificate { get; init; }
    public required string Csr { get; init; }
}
