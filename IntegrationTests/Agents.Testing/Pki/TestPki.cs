using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Agents.Security.Identity;
using Agents.VmAgent.Core.Identity;

namespace Agents.Testing;

/// <summary>A throwaway CA for tests: a P-256 root and P-256 leaves naming a holder by URI SAN.</summary>
public sealed class TestPki : IDisposable
{
    private readonly ECDsa _rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public TestPki(string name = "Test Root CA")
    {
        var request = new CertificateRequest($"CN={name}", _rootKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        Root = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5));
    }

    public X509Certificate2 Root { get; }

    public string RootPem => Root.ExportCertificatePem();

    public string WriteRootPem(string directory)
    {
        var path = Path.Combine(directory, "ca.pem");
        File.WriteAllText(path, RootPem);
        return path;
    }

    /// <summary>A leaf with its private key (for TLS), e.g. the router's server certificate or an impostor's.</summary>
    public X509Certificate2 IssueWithKey(HolderIdentity holder, TimeSpan? lifetime = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={holder.Id}", key, HashAlgorithmName.SHA256);
        using var cert = Sign(request, holder, lifetime ?? TimeSpan.FromDays(1));
        return cert.CopyWithPrivateKey(key);
    }

    /// <summary>Issues from a CSR as the CA would: the holder comes from the caller, not from the CSR.</summary>
    public string IssueFromCsr(string csrPem, HolderIdentity holder, TimeSpan lifetime)
    {
        var request = CertificateRequest.LoadSigningRequestPem(csrPem, HashAlgorithmName.SHA256);
        var clean = new CertificateRequest(request.SubjectName, request.PublicKey, HashAlgorithmName.SHA256);
        using var cert = Sign(clean, holder, lifetime);
        return cert.ExportCertificatePem();
    }

    private X509Certificate2 Sign(CertificateRequest request, HolderIdentity holder, TimeSpan lifetime)
    {
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(new Uri(holder.Uri));
        san.AddDnsName("cloudstack-router");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        var notBefore = DateTimeOffset.UtcNow.AddSeconds(-1);
        return request.Create(Root.SubjectName, X509SignatureGenerator.CreateForECDsa(_rootKey), notBefore, notBefore + lifetime, serial);
    }

    /// <summary>A CRL signed by this root (DER), listing <paramref name="serials"/> (hex, as X509Certificate2.SerialNumber).</summary>
    public byte[] Crl(System.Numerics.BigInteger number, params string[] serials)
    {
        var builder = new CertificateRevocationListBuilder();
        foreach (var serial in serials) builder.AddEntry(Convert.FromHexString(serial), DateTimeOffset.UtcNow.AddSeconds(-1));
        return builder.Build(Root.SubjectName, X509SignatureGenerator.CreateForECDsa(_rootKey), number, DateTimeOffset.UtcNow.AddDays(1),
            HashAlgorithmName.SHA256, X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Root, includeKeyIdentifier: true, includeIssuerAndSerial: false));
    }

    /// <summary>What enrollment leaves in an agent's data directory (agent.key, agent.crt, ca.crt), as if the agent of <paramref name="vmId"/> had enrolled.</summary>
    public void EnrollAgent(string dataDirectory, string vmId, TimeSpan? lifetime = null)
    {
        var data = Directory.CreateDirectory(dataDirectory).FullName;
        var (key, csr) = AgentIdentityStore.NewKeyAndCsr();
        using (key)
        {
            // plain writes, not the agent's durable ones: a bench fleet enrolls thousands at once
            File.WriteAllText(Path.Combine(data, "agent.key"), key.ExportPkcs8PrivateKeyPem());
            File.WriteAllText(Path.Combine(data, "ca.crt"), RootPem);
            File.WriteAllText(Path.Combine(data, "agent.crt"), IssueFromCsr(csr, HolderIdentity.Vm(vmId), lifetime ?? TimeSpan.FromDays(2)));
        }
    }

    /// <summary>What a router's enrollment leaves in its bridge's data directory (router.key, router.crt, ca.crt), so the bridge starts without the CA service.</summary>
    public void EnrollRouter(string dataDirectory, string routerId, TimeSpan? lifetime = null)
    {
        var data = Directory.CreateDirectory(dataDirectory).FullName;
        using var certificate = IssueWithKey(HolderIdentity.Router(routerId), lifetime ?? TimeSpan.FromDays(30));
        using var key = certificate.GetECDsaPrivateKey()!;
        File.WriteAllText(Path.Combine(data, "router.key"), key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(Path.Combine(data, "router.crt"), certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(data, "ca.crt"), RootPem);
    }

    public bool ChainsToRoot(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    public void Dispose()
    {
        Root.Dispose();
        _rootKey.Dispose();
    }
}
