using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using Agents.Storage;

namespace Agents.CaAuthority.Store;

/// <summary>
/// The inventory on the storage base (SQLite file or the shared MariaDB database). A committed
/// row survives a power cut (synchronous=FULL on SQLite, InnoDB's redo log on MariaDB).
/// Uniqueness lives in the database (serial primary key, a token spent by one conditional
/// UPDATE), so several CA instances may share it.
/// </summary>
public sealed class SqlCaStore(Database db) : ICaStore
{
    public static readonly StoreSchema Schema = new("ca", typeof(Migrations.CreateCaTables));

    private readonly ConcurrentQueue<PendingAdd> _pendingAdds = new();
    private readonly SemaphoreSlim _writer = new(1, 1);

    /// <summary>Migrates the CA tables, then opens the store.</summary>
    public static async Task<SqlCaStore> OpenAsync(Database db, CancellationToken ct = default)
    {
        await SchemaMigrator.MigrateAsync(db, Schema, ct: ct).ConfigureAwait(false);
        return new SqlCaStore(db);
    }

    public Database Database => db;

    /// <summary>
    /// Group commit: concurrent adds queue up, and whoever holds this process's writer lock writes
    /// every queued one in one transaction (one fsync), each inside its own savepoint so one refused
    /// add (a token used meanwhile) fails alone. An add returns only once its row is committed.
    /// </summary>
    public async Task AddAsync(CertificateRecord c, string? tokenHash = null, IReadOnlyCollection<string>? supersedes = null, CancellationToken ct = default)
    {
        var add = new PendingAdd(c, tokenHash, supersedes);
        _pendingAdds.Enqueue(add);
        await _writer.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (!add.Done.Task.IsCompleted) await CommitPendingAddsAsync().ConfigureAwait(false);
        }
        finally
        {
            _writer.Release();
        }
        await add.Done.Task.ConfigureAwait(false);
    }

    private async Task CommitPendingAddsAsync()
    {
        var batch = new List<PendingAdd>();
        while (_pendingAdds.TryDequeue(out var queued)) batch.Add(queued);
        var refused = new Dictionary<PendingAdd, Exception>();
        try
        {
            await db.InTransactionAsync(async tx =>
            {
                foreach (var add in batch)
                {
                    // a savepoint only where one add is several statements (a token used, certificates superseded);
                    // a lone INSERT that fails changes nothing by itself (statement atomicity, both engines), and
                    // the savepoint's two extra statements were a fifth of an issue's CPU (measured)
                    var several = add.TokenHash is not null || add.Supersedes is { Count: > 0 };
                    if (several) await tx.SaveAsync("one_add").ConfigureAwait(false);
                    try
                    {
                        await InsertAsync(tx, add).ConfigureAwait(false);
                        if (several) await tx.ReleaseAsync("one_add").ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is CaRequestException or DbException)
                    {
                        if (several) await tx.RollbackAsync("one_add").ConfigureAwait(false);
                        refused[add] = e;
                    }
                }
            }).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            foreach (var add in batch) add.Done.TrySetException(e);
            return;
        }
        foreach (var add in batch)
        {
            if (refused.TryGetValue(add, out var e)) add.Done.TrySetException(e);
            else add.Done.TrySetResult();
        }
    }

    private static async Task InsertAsync(DbTransaction tx, PendingAdd add)
    {
        var c = add.Certificate;
        if (add.TokenHash is not null)
        {
            var consumed = await tx.ExecuteAsync("UPDATE tokens SET used_at = @now WHERE hash = @h AND used_at IS NULL AND expires_at > @now",
                ("@h", add.TokenHash), ("@now", Time(DateTimeOffset.UtcNow))).ConfigureAwait(false);
            if (consumed != 1) throw CaRequestException.BadParameter("the enrollment token was used meanwhile");
        }
        foreach (var serial in add.Supersedes ?? [])
            await tx.ExecuteAsync("UPDATE certificates SET status = 'Superseded' WHERE serial = @s AND status = 'Valid'", ("@s", serial)).ConfigureAwait(false);
        await tx.ExecuteAsync(
            """
            INSERT INTO certificates (serial, subject, sans, holder, router_id, not_before, not_after, status, pem, issued_at)
            VALUES (@serial, @subject, @sans, @holder, @router, @nb, @na, 'Valid', @pem, @now)
            """,
            ("@serial", c.SerialNumber), ("@subject", c.Subject), ("@sans", c.SubjectAlternativeNames), ("@holder", c.Holder),
            ("@router", c.RouterId), ("@nb", Time(c.NotBefore)), ("@na", Time(c.NotAfter)), ("@pem", c.Pem), ("@now", Time(DateTimeOffset.UtcNow))).ConfigureAwait(false);
    }

    private sealed class PendingAdd(CertificateRecord certificate, string? tokenHash, IReadOnlyCollection<string>? supersedes)
    {
        public CertificateRecord Certificate => certificate;
        public string? TokenHash => tokenHash;
        public IReadOnlyCollection<string>? Supersedes => supersedes;
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public async Task<CertificateRecord?> FindAsync(string serialNumber, CancellationToken ct = default) =>
        (await QueryCertificatesAsync("WHERE serial = @s", ("@s", serialNumber.ToUpperInvariant())).ConfigureAwait(false)).FirstOrDefault();

    public async Task<CertificateRecord?> CurrentForHolderAsync(string holder, CancellationToken ct = default) =>
        (await QueryCertificatesAsync("WHERE holder = @h AND status = 'Valid' ORDER BY not_after DESC LIMIT 1", ("@h", holder)).ConfigureAwait(false)).FirstOrDefault();

    public async Task<IReadOnlyList<CertificateRecord>> ValidForHolderAsync(string holder, CancellationToken ct = default) =>
        await QueryCertificatesAsync("WHERE holder = @h AND status = 'Valid' ORDER BY not_after", ("@h", holder)).ConfigureAwait(false);

    public async Task<int> CountAsync(CancellationToken ct = default) =>
        Convert.ToInt32(await db.ScalarAsync("SELECT COUNT(*) FROM certificates").ConfigureAwait(false), CultureInfo.InvariantCulture);

    public async Task<bool> RevokeAsync(string serialNumber, DateTimeOffset at, string? reason, CancellationToken ct = default) =>
        await db.ExecuteAsync("UPDATE certificates SET status = 'Revoked', revoked_at = @at, reason = @r WHERE serial = @s AND status <> 'Revoked'",
            ("@s", serialNumber.ToUpperInvariant()), ("@at", Time(at)), ("@r", reason)).ConfigureAwait(false) == 1;

    public async Task<IReadOnlyList<CertificateRecord>> RevokedAsync(CancellationToken ct = default) =>
        await QueryCertificatesAsync("WHERE status = 'Revoked'").ConfigureAwait(false);

    /// <summary>The increment locks the row until commit, so instances sharing the database never hand out one number twice.</summary>
    public Task<long> NextCrlNumberAsync(CancellationToken ct = default) =>
        db.InTransactionAsync(async tx =>
        {
            await tx.ExecuteAsync("UPDATE crl SET number = number + 1 WHERE id = 1").ConfigureAwait(false);
            return Convert.ToInt64(await tx.ScalarAsync("SELECT number FROM crl WHERE id = 1").ConfigureAwait(false), CultureInfo.InvariantCulture);
        }, ct);

    public Task<PublishedCrl> PublishCrlAsync(Func<IReadOnlyList<CertificateRecord>, long, byte[]> sign, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(sign);
        return db.InTransactionAsync(async tx =>
        {
            // the increment locks the row: the revoked list is read after it, so a higher number never lacks a revocation a lower one has
            await tx.ExecuteAsync("UPDATE crl SET number = number + 1 WHERE id = 1").ConfigureAwait(false);
            var number = Convert.ToInt64(await tx.ScalarAsync("SELECT number FROM crl WHERE id = 1").ConfigureAwait(false), CultureInfo.InvariantCulture);
            var revoked = await tx.QueryAsync($"SELECT {CertificateColumns} FROM certificates WHERE status = 'Revoked'", MapCertificate).ConfigureAwait(false);
            var der = sign(revoked, number);
            await tx.ExecuteAsync("UPDATE crl SET der = @d WHERE id = 1", ("@d", der)).ConfigureAwait(false);
            return new PublishedCrl(number, der);
        }, ct);
    }

    public Task<PublishedCrl?> PublishedCrlAsync(CancellationToken ct = default) =>
        db.SingleAsync("SELECT number, der FROM crl WHERE id = 1 AND der IS NOT NULL", r => new PublishedCrl(r.GetInt64(0), r.Bytes(1)));

    public async Task<IReadOnlyList<CertificateRecord>> ExpiringAsync(DateTimeOffset before, CancellationToken ct = default) =>
        await QueryCertificatesAsync("WHERE status = 'Valid' AND not_after < @b ORDER BY not_after", ("@b", Time(before))).ConfigureAwait(false);

    public async Task<CertificateExpiryCounts> CountByExpiryAsync(DateTimeOffset now, CancellationToken ct = default)
    {
        var rows = await db.QueryAsync(
            """
            SELECT COALESCE(SUM(CASE WHEN not_after < @now THEN 1 ELSE 0 END), 0),
                   COALESCE(SUM(CASE WHEN not_after >= @now AND not_after < @d7 THEN 1 ELSE 0 END), 0),
                   COALESCE(SUM(CASE WHEN not_after >= @d7 AND not_after < @d30 THEN 1 ELSE 0 END), 0),
                   COALESCE(SUM(CASE WHEN not_after >= @d30 AND not_after < @d90 THEN 1 ELSE 0 END), 0),
                   COALESCE(SUM(CASE WHEN not_after >= @d90 THEN 1 ELSE 0 END), 0)
            FROM certificates WHERE status = 'Valid'
            """,
            r => new CertificateExpiryCounts(Convert.ToInt64(r.GetValue(0), CultureInfo.InvariantCulture), Convert.ToInt64(r.GetValue(1), CultureInfo.InvariantCulture),
                Convert.ToInt64(r.GetValue(2), CultureInfo.InvariantCulture), Convert.ToInt64(r.GetValue(3), CultureInfo.InvariantCulture),
                Convert.ToInt64(r.GetValue(4), CultureInfo.InvariantCulture)),
            ("@now", Time(now)), ("@d7", Time(now.AddDays(7))), ("@d30", Time(now.AddDays(30))), ("@d90", Time(now.AddDays(90)))).ConfigureAwait(false);
        return rows[0];
    }

    public Task<bool> MarkExpiryAlertAsync(string serialNumber, DateTimeOffset? expected, DateTimeOffset? at, CancellationToken ct = default) =>
        CompareAndSetAsync("last_expiry_alert_at", serialNumber, expected, at);

    public Task<bool> MarkRenewalRequestedAsync(string serialNumber, DateTimeOffset? expected, DateTimeOffset? at, CancellationToken ct = default) =>
        CompareAndSetAsync("renewal_requested_at", serialNumber, expected, at);

    /// <summary>Sets a mark only if it still holds what the caller read: of CA instances scanning one inventory, one wins.</summary>
    private async Task<bool> CompareAndSetAsync(string column, string serialNumber, DateTimeOffset? expected, DateTimeOffset? at)
    {
        var guard = expected is null ? $"{column} IS NULL" : $"{column} = @expected";
        return await db.ExecuteAsync($"UPDATE certificates SET {column} = @at WHERE serial = @s AND {guard}",
            ("@s", serialNumber), ("@at", at is null ? null : Time(at.Value)), ("@expected", expected is null ? null : Time(expected.Value))).ConfigureAwait(false) == 1;
    }

    public Task AddTokenAsync(EnrollmentTokenRecord token, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(token);
        return db.ExecuteAsync("INSERT INTO tokens (hash, holder, router_id, expires_at) VALUES (@h, @holder, @r, @e)",
            ("@h", token.Hash), ("@holder", token.Holder), ("@r", token.RouterId), ("@e", Time(token.ExpiresAt)));
    }

    public Task<EnrollmentTokenRecord?> FindTokenAsync(string hash, CancellationToken ct = default) =>
        db.SingleAsync("SELECT hash, holder, router_id, expires_at, used_at FROM tokens WHERE hash = @h",
            r => new EnrollmentTokenRecord(r.GetString(0), r.GetString(1), r.NullableString(2), ParseTime(r.GetString(3))!.Value, ParseTime(r.NullableString(4))),
            ("@h", hash));

    private const string CertificateColumns =
        "serial, subject, sans, holder, router_id, not_before, not_after, status, revoked_at, reason, pem, last_expiry_alert_at, renewal_requested_at";

    private Task<List<CertificateRecord>> QueryCertificatesAsync(string where, params (string, object?)[] parameters) =>
        db.QueryAsync($"SELECT {CertificateColumns} FROM certificates {where}", MapCertificate, parameters);

    private static CertificateRecord MapCertificate(DbDataReader r) => new()
        {
            SerialNumber = r.GetString(0), Subject = r.GetString(1), SubjectAlternativeNames = r.GetString(2), Holder = r.NullableString(3), RouterId = r.NullableString(4),
            NotBefore = ParseTime(r.GetString(5))!.Value, NotAfter = ParseTime(r.GetString(6))!.Value,
            Status = Enum.Parse<CertificateStatus>(r.GetString(7)), RevokedAt = ParseTime(r.NullableString(8)), RevocationReason = r.NullableString(9),
            Pem = r.GetString(10), LastExpiryAlertAt = ParseTime(r.NullableString(11)), RenewalRequestedAt = ParseTime(r.NullableString(12)),
        };

    /// <summary>ISO-8601 UTC with a fixed width, so text comparison in SQL is time comparison (the inventory's format since its first release).</summary>
    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset? ParseTime(string? s) =>
        s is null ? null : DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
