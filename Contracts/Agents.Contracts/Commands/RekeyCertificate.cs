namespace Agents.Contracts.Commands;

/// <summary>provisionCertificate: make a new key and CSR, enroll it, install the new certificate.</summary>
public sealed record RekeyCertificate
{
    public bool Reconnect { get; init; }
}
