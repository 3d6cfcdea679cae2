using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Agents.Security.Tls;

/// <summary>
/// TLS options for services, bridges and agents that trust only our root: chain built against the
/// root alone (never the OS store), revocation checked against the service's own
/// <see cref="RevocationSet"/> on every handshake, strictness and allow-expired from
/// <see cref="MutualTlsPolicy"/>. Certificates and the root are asked for per handshake, so a
/// renewal needs no restart.
/// </summary>
public static class MutualTls
{
    private const string ClientAuth = "1.3.6.1.5.5.7.3.2";
    private const string ServerAuth = "1.3.6.1.5.5.7.3.1";

    /// <summary>Why a client without a certificate is refused under strictness (the start of every such refusal's reason).</summary>
    public const string NoCertificate = "no certificate presented (ca.plugin.root.auth.strictness is on)";

    public static SslServerAuthenticationOptions ServerOptions(Func<X509Certificate2> serverCertificate, Func<X509Certificate2> root,
        MutualTlsPolicy policy, RevocationSet revoked) => ServerOptions(serverCertificate, root, () => policy, revoked);

    /// <summary>The policy is read at every handshake: a service that changes it at run time (updateConfiguration) needs no restart.</summary>
    public static SslServerAuthenticationOptions ServerOptions(Func<X509Certificate2> serverCertificate, Func<X509Certificate2> root,
        Func<MutualTlsPolicy> policy, RevocationSet revoked) => new()
    {
        EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        ServerCertificateSelectionCallback = (_, _) => serverCertificate(),
        // asked for always; whether its absence is fatal is the policy's call
        ClientCertificateRequired = true,
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        RemoteCertificateValidationCallback = (sender, certificate, _, _) => Admit(sender, certificate, Check(certificate, root(), policy(), revoked, ClientAuth)),
    };

    public static SslClientAuthenticationOptions ClientOptions(string targetHost, Func<X509Certificate2?> clientCertificate, Func<X509Certificate2> root,
        MutualTlsPolicy policy, RevocationSet revoked) => new()
    {
        TargetHost = targetHost,
        EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        LocalCertificateSelectionCallback = (_, _, _, _, _) => clientCertificate()!,
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        // a server must always prove itself: strictness is about clients
        RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            certificate is not null && Check(certificate, root(), policy with { Strict = true }, revoked, ServerAuth).Status == PeerStatus.Trusted,
    };

    /// <summary>A refusal is kept on the stream when it is a <see cref="CheckedSslStream"/>, so the listener can say why.</summary>
    private static bool Admit(object sender, X509Certificate? certificate, PeerVerdict verdict)
    {
        if (!verdict.Admitted && sender is CheckedSslStream stream) stream.Refusal = PeerRefusal.Of(verdict.Reason ?? "refused", certificate);
        return verdict.Admitted;
    }

    /// <summary>The verdict on a peer certificate (null: none was presented).</summary>
    public static PeerVerdict Check(X509Certificate? presented, X509Certificate2 root, MutualTlsPolicy policy, RevocationSet revoked, string purpose = ClientAuth)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(revoked);
        if (presented is null)
            return policy.Strict && !policy.AnonymousEnrollment ? PeerVerdict.Refuse(NoCertificate) : PeerVerdict.Anonymous;
        using var certificate = new X509Certificate2(presented);
        if (revoked.IsRevoked(certificate)) return PeerVerdict.Refuse($"certificate {certificate.SerialNumber} is revoked");
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(purpose));
        if (policy.AllowExpired) chain.ChainPolicy.VerificationFlags |= X509VerificationFlags.IgnoreNotTimeValid;
        if (chain.Build(certificate)) return PeerVerdict.Trusted;
        var why = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).DefaultIfEmpty("untrusted chain"));
        return PeerVerdict.Refuse($"certificate {certificate.SerialNumber} ({certificate.Subject}): {why}");
    }
}
