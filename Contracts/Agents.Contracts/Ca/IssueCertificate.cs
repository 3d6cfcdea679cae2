namespace Agents.Contracts.Ca;

/// <summary>issueCertificate: from a CSR, or with a key pair made by the CA when <see cref="Csr"/> is null.</summary>
public sealed record IssueCertificate
{
    public string? Csr { get; init; }
    // set, not init: the source-generated reader hands every init-only property to the object initializer, so a field left out would lose this default
    public IReadOnlyList<string> DomainNames { get; set; } = [];
    public IReadOnlyList<string> IpAddresses { get; set; } = [];
    /// <summary>The holder identity (urn:cloudstack:vm:{uuid}); set by the caller's entitlement, never taken from the CSR.</summary>
    public string? Holder { get; init; }
    /// <summary>The router the holder sits behind, when the caller knows it (the API does): renewals are asked there. Without it the CA takes the router of the holder's current certificate.</summary>
    public string? RouterId { get; init; }
    public int? ValidityDays { get; init; }
    public string? Provider { get; init; }
}
