using System.Security.Cryptography.X509Certificates;
using Agents.Security.Identity;

namespace Agents.VmAgent.Core.Identity;

/// <summary>
/// The agent trusts exactly one root: the cloud's CA certificate it was installed with, never the
/// OS store. A router proves itself with a certificate from that CA naming a router or service.
/// </summary>
public sealed class TrustAnchor(X509Certificate2 caCertificate)
{
    public X509Certificate2 Certificate { get; } = caCertificate;

    public static TrustAnchor FromPemFile(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"CA certificate file {path} does not exist", path);
        return new TrustAnchor(X509Certificate2.CreateFromPem(File.ReadAllText(path)));
    }

    /// <summary>Null when the certificate chains to this root and is valid now; otherwise why not.</summary>
    public string? ChainError(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Certificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        if (chain.Build(certificate)) return null;
        return string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).DefaultIfEmpty("untrusted chain"));
    }

    /// <summary>For the TLS callback: the router's certificate chains to our root and names a router or a service, never a VM.</summary>
    public string? RouterCertificateError(X509Certificate2? certificate)
    {
        if (certificate is null) return "the router presented no certificate";
        var error = ChainError(certificate);
        if (error is not null) return error;
        var holder = HolderIdentity.FromCertificate(certificate);
        return holder?.Kind is HolderKind.Router or HolderKind.Service
            ? null
            : $"the certificate names {(holder?.Uri ?? "no holder")}, not a router";
    }
}
