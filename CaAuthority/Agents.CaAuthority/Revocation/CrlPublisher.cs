using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Agents.CaAuthority.Options;
using Agents.CaAuthority.Providers;
using Agents.CaAuthority.Store;
using Microsoft.Extensions.Options;

namespace Agents.CaAuthority.Revocation;

/// <summary>
/// Builds and keeps the signed CRL: every revoked certificate, a CRL number that only grows, NextUpdate
/// a short time ahead. Rebuilt at start and after each revocation, and stored in the inventory with
/// its number in one transaction; served at /ca/crl as the inventory's latest, so CA instances
/// sharing one inventory serve one CRL sequence whichever of them recorded a revocation.
/// </summary>
public sealed class CrlPublisher(RootCaKeys ca, ICaStore store, IOptions<CaOptions> options)
{
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private volatile byte[] _crl = [];

    public byte[] Current => _crl;

    public string Path => System.IO.Path.Combine(options.Value.DataDirectory, "crl.der");

    public long Number { get; private set; }

    public async Task RebuildAsync(CancellationToken ct = default)
    {
        await _oneAtATime.WaitAsync(ct).ConfigureAwait(false);
        try { await BuildAsync(ct).ConfigureAwait(false); }
        finally { _oneAtATime.Release(); }
    }

    /// <summary>The latest CRL of the inventory (another instance's, when it published a newer one).</summary>
    public async Task<byte[]> CurrentAsync(CancellationToken ct = default)
    {
        var published = await store.PublishedCrlAsync(ct).ConfigureAwait(false);
        if (published is null)
        {
            await RebuildAsync(ct).ConfigureAwait(false);
            return _crl;
        }
        if (published.Number > Number)
        {
            await _oneAtATime.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                if (published.Number > Number) await KeepAsync(published, ct).ConfigureAwait(false);
            }
            finally { _oneAtATime.Release(); }
        }
        return _crl;
    }

    private async Task BuildAsync(CancellationToken ct) =>
        await KeepAsync(await store.PublishCrlAsync(Sign, ct).ConfigureAwait(false), ct).ConfigureAwait(false);

    private byte[] Sign(IReadOnlyList<CertificateRecord> revokedCertificates, long number)
    {
        var builder = new CertificateRevocationListBuilder();
        foreach (var revoked in revokedCertificates)
            builder.AddEntry(Convert.FromHexString(revoked.SerialNumber), revoked.RevokedAt ?? DateTimeOffset.UtcNow, ReasonOf(revoked.RevocationReason));
        var now = DateTimeOffset.UtcNow;
        return builder.Build(ca.Certificate, new BigInteger(number), now.AddMinutes(options.Value.CrlValidityMinutes), HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1, now);
    }

    private async Task KeepAsync(PublishedCrl crl, CancellationToken ct)
    {
        // a name of its own: instances sharing a data directory must not move each other's half-written file
        var temp = $"{Path}.{Environment.ProcessId}.tmp";
        await File.WriteAllBytesAsync(temp, crl.Der, ct).ConfigureAwait(false);
        File.Move(temp, Path, overwrite: true);
        _crl = crl.Der;
        Number = crl.Number;
    }

    public static X509RevocationReason? ReasonOf(string? reason) =>
        reason is not null && Enum.TryParse<X509RevocationReason>(reason, ignoreCase: true, out var parsed) ? parsed : null;
}
