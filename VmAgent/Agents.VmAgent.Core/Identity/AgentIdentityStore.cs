using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Agents.Security.Identity;
using Agents.VmAgent.Core.Handlers;
using Agents.VmAgent.Core.Journal;

namespace Agents.VmAgent.Core.Identity;

/// <summary>
/// The agent's key and certificate in its data directory: <c>agent.key</c> (PKCS#8 PEM, mode 0600),
/// <c>agent.crt</c>, and the previous pair kept across one renewal so a password sealed to the old
/// certificate just before a renewal still opens.
/// </summary>
public sealed class AgentIdentityStore(string dataDirectory, TrustAnchor trust) : IAgentKeys
{
    private readonly Lock _gate = new();

    public string KeyPath => Path.Combine(dataDirectory, "agent.key");
    public string CertificatePath => Path.Combine(dataDirectory, "agent.crt");
    private string PreviousKeyPath => Path.Combine(dataDirectory, "agent.previous.key");
    private string PreviousCertificatePath => Path.Combine(dataDirectory, "agent.previous.crt");
    public string CaPath => Path.Combine(dataDirectory, "ca.crt");

    public TrustAnchor Trust => trust;

    /// <summary>A fresh P-256 key and a CSR for it. The CA decides the holder (from the token or the current certificate), so the CSR names nothing.</summary>
    public static (ECDsa Key, string CsrPem) NewKeyAndCsr()
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=cloudstack-agent", key, HashAlgorithmName.SHA256);
        return (key, request.CreateSigningRequestPem());
    }

    /// <summary>The current certificate with its private key, or null before enrollment.</summary>
    public X509Certificate2? Load()
    {
        lock (_gate) return LoadPair(CertificatePath, KeyPath);
    }

    /// <summary>Checks and stores an issued certificate: it must be for <paramref name="key"/>, chain to our root and name a VM.</summary>
    public X509Certificate2 Save(ECDsa key, string certificatePem, string? caCertificatePem)
    {
        ArgumentNullException.ThrowIfNull(key);
        var issued = X509Certificate2.CreateFromPem(certificatePem);
        using (var issuedKey = issued.GetECDsaPublicKey())
        {
            if (issuedKey is null || !issuedKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(key.ExportSubjectPublicKeyInfo()))
                throw new InvalidDataException("the issued certificate is not for this agent's key");
        }
        if (trust.ChainError(issued) is { } error) throw new InvalidDataException($"the issued certificate does not chain to the configured CA: {error}");
        if (HolderIdentity.FromCertificate(issued)?.Kind != HolderKind.Vm) throw new InvalidDataException("the issued certificate names no VM holder");

        lock (_gate)
        {
            if (File.Exists(CertificatePath) && File.Exists(KeyPath))
            {
                File.Copy(KeyPath, PreviousKeyPath, overwrite: true);
                File.Copy(CertificatePath, PreviousCertificatePath, overwrite: true);
            }
            // key first: a certificate on disk without its key would be useless
            DurableFile.Write(KeyPath, Encoding.ASCII.GetBytes(key.ExportPkcs8PrivateKeyPem()));
            DurableFile.Write(CertificatePath, Encoding.ASCII.GetBytes(certificatePem), PublicMode);
            if (caCertificatePem is not null) DurableFile.Write(CaPath, Encoding.ASCII.GetBytes(caCertificatePem), PublicMode);
        }
        return Load() ?? throw new InvalidOperationException("the stored certificate cannot be read back");
    }

    public ECDsa? KeyFor(string certificateSerial)
    {
        lock (_gate)
        {
            foreach (var (certPath, keyPath) in new[] { (CertificatePath, KeyPath), (PreviousCertificatePath, PreviousKeyPath) })
            {
                using var pair = LoadPair(certPath, keyPath);
                if (pair is not null && string.Equals(pair.SerialNumber, certificateSerial, StringComparison.OrdinalIgnoreCase))
                    return pair.GetECDsaPrivateKey();
            }
            return null;
        }
    }

    private static X509Certificate2? LoadPair(string certPath, string keyPath)
    {
        if (!File.Exists(certPath) || !File.Exists(keyPath)) return null;
        var pair = X509Certificate2.CreateFromPem(File.ReadAllText(certPath), File.ReadAllText(keyPath));
        if (!OperatingSystem.IsWindows()) return pair;
        // SChannel cannot use an ephemeral key for TLS client authentication: round-trip through PKCS#12
        using (pair) return X509CertificateLoader.LoadPkcs12(pair.Export(X509ContentType.Pkcs12), null);
    }

    private const UnixFileMode PublicMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
}
