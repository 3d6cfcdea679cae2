using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;

namespace Agents.Security.Tls;

/// <summary>
/// The serials a service refuses, kept current by the CA's revocation events (at once) and its
/// CRL (as a catch-up). Checked in the TLS callback on every handshake: on Linux the OS chain
/// caches a downloaded CRL until its NextUpdate, so a fresh revocation would keep passing there.
/// </summary>
public sealed class RevocationSet
{
    private readonly ConcurrentDictionary<string, byte> _serials = new(StringComparer.OrdinalIgnoreCase);

    public int Count => _serials.Count;

    /// <summary>Serial in hex, as <see cref="X509Certificate2.SerialNumber"/> shows it (colons allowed).</summary>
    public void Revoke(string serialNumber) => _serials.TryAdd(Normalize(serialNumber), 0);

    public bool IsRevoked(string serialNumber) => _serials.ContainsKey(Normalize(serialNumber));

    public bool IsRevoked(X509Certificate2 certificate) => IsRevoked(certificate.SerialNumber);

    /// <summary>Adds every serial of a CRL whose signature verifies against <paramref name="issuer"/>; returns the CRL number.</summary>
    public System.Numerics.BigInteger Load(byte[] crlDer, X509Certificate2 issuer)
    {
        var crl = SignedCrl.Verify(crlDer, issuer);
        foreach (var serial in crl.Serials) Revoke(serial);
        return crl.Number;
    }

    private static string Normalize(string serial) => serial.Replace(":", "", StringComparison.Ordinal).Trim().ToUpperInvariant();
}
