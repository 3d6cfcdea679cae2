namespace Agents.Contracts.Ca;

/// <summary>provisionCertificate: ask the holder to rekey (it makes a new key and CSR, then renews).</summary>
public sealed record ProvisionCertificate
{
    public required string Holder { get; init; }
    public required string RouterId { get; init; }
    public bool Reconnect { get; init; }
}
