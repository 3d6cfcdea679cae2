using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Agents.RouterBridge.Identity;
using Agents.Security.Identity;
using Agents.Security.Tls;
using Microsoft.Extensions.Options;

namespace Agents.RouterBridge.Hosting;

/// <summary>
/// TLS of the agent listener, from the shared mutual-TLS kit (Agents.Security.Tls): the router's
/// current certificate as server certificate (picked per handshake, so a renewal needs no
/// restart), client certificates chained to our root only, strictness and allow-expired as
/// configured, and revocation checked against the bridge's own revoked set (fed by revocation
/// events and the CRL), never the OS CRL cache. A client without a certificate passes the
/// handshake even under strictness (AnonymousEnrollment): the listener then lets it enroll with a
/// one-time token and do nothing else, and under strictness reports any other outcome as a refusal.
/// </summary>
public sealed class AgentTls(IOptions<BridgeOptions> options, RouterIdentity identity)
{
    private readonly RevocationSet _revoked = new();
    private MutualTlsPolicy _policy = new(options.Value.AuthStrictness, options.Value.AllowExpiredCertificates, AnonymousEnrollment: true);

    /// <summary>Strictness and allow-expired as in force now: read at every handshake, changed by updateConfiguration through the bus.</summary>
    public MutualTlsPolicy Policy
    {
        get => Volatile.Read(ref _policy);
        set => Volatile.Write(ref _policy, value ?? throw new ArgumentNullException(nameof(value)));
    }

    /// <summary>Is strictness on now (read by the listener per connection without a certificate)?</summary>
    public bool Strict => Policy.Strict;

    public RevocationSet Revoked => _revoked;

    public void Revoke(string serialNumber) => _revoked.Revoke(serialNumber);

    public bool IsRevoked(string serialNumber) => _revoked.IsRevoked(serialNumber);

    public int RevokedCount => _revoked.Count;

    public SslServerAuthenticationOptions ServerOptions() => MutualTls.ServerOptions(
        () => identity.Certificate, () => identity.CaCertificate,
        () => Policy, _revoked);

    /// <summary>After the handshake: may this certificate hold a session? Null means yes.</summary>
    public string? Authorize(X509Certificate2 certificate, HolderIdentity holder) =>
        IsRevoked(certificate.SerialNumber) ? $"certificate {certificate.SerialNumber} of {holder} is revoked" : null;
}
