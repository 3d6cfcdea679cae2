using System.Collections.Concurrent;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Agents.RouterBridge.Identity;
using Agents.Security.Identity;
using Microsoft.Extensions.Options;

namespace Agents.RouterBridge.Hosting;

/// <summary>
/// TLS of the agent listener: the router's current certificate as server certificate (picked per
/// handshake, so a renewal needs no restart), client certificates chained to our root only,
/// strictness and allow-expired as configured, and revocation checked against the bridge's own
/// revoked set (fed by revocation events and the CRL), never the OS CRL cache.
/// </summary>
public sealed class AgentTls(IOptions<BridgeOptions> options, RouterIdentity identity)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _revoked = new(StringComparer.OrdinalIgnoreCase);

    public void Revoke(string serialNumber) => _revoked.TryAdd(serialNumber, DateTimeOffset.UtcNow);

    public bool IsRevoked(string serialNumber) => _revoked.ContainsKey(serialNumber);

    public int RevokedCount => _revoked.Count;

    public SslServerAuthenticationOptions ServerOptions() => new()
    {
        EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        ServerCertificateSelectionCallback = (_, _) => identity.Certificate,
        ClientCertificateRequired = true,
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        RemoteCertificateValidationCallback = ValidateClient,
    };

    /// <summary>After the handshake: may this certificate hold a session? Null means yes.</summary>
    public string? Authorize(X509Certificate2 certificate, HolderIdentity holder) =>
        IsRevoked(certificate.SerialNumber) ? $"certificate {certificate.SerialNumber} of {holder} is revoked" : null;

    private bool ValidateClient(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        // not strict: a connection without a certificate is admitted, and the listener lets it only enroll
        if (certificate is null) return !options.Value.AuthStrictness;
        using var leaf = new X509Certificate2(certificate);
        if (IsRevoked(leaf.SerialNumber)) return false;
        using var ours = new X509Chain();
        ours.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        ours.ChainPolicy.CustomTrustStore.Add(identity.CaCertificate);
        ours.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        ours.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.2"));
        if (options.Value.AllowExpiredCertificates) ours.ChainPolicy.VerificationFlags |= X509VerificationFlags.IgnoreNotTimeValid;
        return ours.Build(leaf);
    }
}
