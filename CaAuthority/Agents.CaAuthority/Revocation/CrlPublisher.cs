using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Agents.CaAuthority.Options;
using Agents.CaAuthority.Providers;
using Agents.CaAuthority.Store;
using Microsoft.Extensions.Options;

namespace Agents.CaAuthority.Revocation;

/// <summary>
/// Builds and keeps the signed CRL: every revoked certificate, a CRL number that only grows (kept
/// in the store, bumped in the revocation's own transaction), NextUpdate a short time ahead.
/// Rebuilt at start and after each revocation; served at /ca/crl.
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

    private async Task BuildAsync(CancellationToken ct)
    {
        var builder = new CertificateRevocationListBuilder();
        foreach (var revoked in await store.RevokedAsync(ct).ConfigureAwait(false))
            builder.AddEntry(Convert.FromHexString(revoked.SerialNumber), revoked.RevokedAt ?? DateTimeOffset.UtcNow, ReasonOf(revoked.RevocationReason));
        var number = await store.NextCrlNumberAsync(ct).ConfigureAwait(false);
        var now = DateTimeOffset.UtcNow;
        var crl = builder.Build(ca.Certificate, new BigInteger(number), now.AddMinutes(options.Value.CrlValidityMinutes), HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1, now);
        var temp = Path + ".tmp";
        await File.WriteAllBytesAsync(temp, crl, ct).ConfigureAwait(false);
        File.Move(temp, Path, overwrite: true);
        _crl = crl;
        Number = number;
    }

    public static X509RevocationReason? ReasonOf(string? reason) =>
        reason is not null && Enum.TryParse<X509RevocationReason>(reason, ignoreCase: true, out var parsed) ? parsed : null;
}
