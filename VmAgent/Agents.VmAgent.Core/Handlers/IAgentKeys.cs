using System.Security.Cryptography;

namespace Agents.VmAgent.Core.Handlers;

/// <summary>The agent's private keys by certificate serial (current and, across a renewal, the previous one).</summary>
public interface IAgentKeys
{
    /// <summary>A copy of the key of the certificate with this serial; the caller disposes it. Null when unknown.</summary>
    ECDsa? KeyFor(string certificateSerial);
}

/// <summary>Renews the agent's certificate now with a fresh key (the rekey command, provisionCertificate).</summary>
public interface ICertificateRenewer
{
    Task RenewAsync(bool reconnect, CancellationToken ct);
}
