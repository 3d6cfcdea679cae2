namespace Agents.CaAuthority.Store;

/// <summary>
/// The CA's durable state: the certificate inventory, enrollment tokens and the CRL number.
/// SQLite by default; on MariaDB several CA instances share it.
/// </summary>
public interface ICaStore
{
    /// <summary>Records a certificate, and in the same transaction consumes <paramref name="tokenHash"/> and supersedes the certificates <paramref name="supersedes"/> names, when given.</summary>
    Task AddAsync(CertificateRecord certificate, string? tokenHash = null, IReadOnlyCollection<string>? supersedes = null, CancellationToken ct = default);

    Task<CertificateRecord?> FindAsync(string serialNumber, CancellationToken ct = default);

    Task<CertificateRecord?> CurrentForHolderAsync(string holder, CancellationToken ct = default);

    /// <summary>Every valid (neither superseded nor revoked) certificate of the holder.</summary>
    Task<IReadOnlyList<CertificateRecord>> ValidForHolderAsync(string holder, CancellationToken ct = default);

    Task<int> CountAsync(CancellationToken ct = default);

    /// <summary>Marks it revoked; false when it was already revoked (revocation is idempotent).</summary>
    Task<bool> RevokeAsync(string serialNumber, DateTimeOffset at, string? reason, CancellationToken ct = default);

    Task<IReadOnlyList<CertificateRecord>> RevokedAsync(CancellationToken ct = default);

    /// <summary>The next CRL number: persisted, so it only ever grows, across restarts too.</summary>
    Task<long> NextCrlNumberAsync(CancellationToken ct = default);

    /// <summary>
    /// Takes the next CRL number and signs the revoked certificates under it with
    /// <paramref name="sign"/>, in one transaction that also stores the result as the latest CRL.
    /// </summary>
    Task<PublishedCrl> PublishCrlAsync(Func<IReadOnlyList<CertificateRecord>, long, byte[]> sign, CancellationToken ct = default);

    /// <summary>The latest CRL any instance published, or null before the first.</summary>
    Task<PublishedCrl?> PublishedCrlAsync(CancellationToken ct = default);

    /// <summary>Valid certificates whose NotAfter is before <paramref name="before"/>.</summary>
    Task<IReadOnlyList<CertificateRecord>> ExpiringAsync(DateTimeOffset before, CancellationToken ct = default);

    /// <summary>Valid certificates counted by days to expiry from <paramref name="now"/>, in one grouped query (the metrics' inventory gauge).</summary>
    Task<CertificateExpiryCounts> CountByExpiryAsync(DateTimeOffset now, CancellationToken ct = default);

    /// <summary>
    /// Sets the time of the last expiry alert to <paramref name="at"/> (null clears it: a message that
    /// could not be sent) if it is still <paramref name="expected"/>; false when another CA instance
    /// changed it first, so each alert is raised once across instances sharing the inventory.
    /// </summary>
    Task<bool> MarkExpiryAlertAsync(string serialNumber, DateTimeOffset? expected, DateTimeOffset? at, CancellationToken ct = default);

    /// <summary>The same compare-and-set for the time of the last renewal request.</summary>
    Task<bool> MarkRenewalRequestedAsync(string serialNumber, DateTimeOffset? expected, DateTimeOffset? at, CancellationToken ct = default);

    Task AddTokenAsync(EnrollmentTokenRecord token, CancellationToken ct = default);

    Task<EnrollmentTokenRecord?> FindTokenAsync(string hash, CancellationToken ct = default);
}
