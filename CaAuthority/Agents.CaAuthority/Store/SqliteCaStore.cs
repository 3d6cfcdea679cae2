using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Agents.CaAuthority.Store;

/// <summary>
/// SQLite inventory (WAL, synchronous=FULL: a committed row survives a power cut). The schema
/// migrates itself from the version in schema_version.
/// </summary>
public sealed class SqliteCaStore : ICaStore
{
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE certificates (
            serial TEXT PRIMARY KEY, subject TEXT NOT NULL, sans TEXT NOT NULL, holder TEXT, router_id TEXT,
            not_before TEXT NOT NULL, not_after TEXT NOT NULL, status TEXT NOT NULL, revoked_at TEXT, reason TEXT,
            pem TEXT NOT NULL, issued_at TEXT NOT NULL, last_expiry_alert_at TEXT, renewal_requested_at TEXT);
        CREATE INDEX certificates_holder ON certificates(holder, status);
        CREATE INDEX certificates_expiry ON certificates(status, not_after);
        CREATE TABLE tokens (hash TEXT PRIMARY KEY, holder TEXT NOT NULL, router_id TEXT, expires_at TEXT NOT NULL, used_at TEXT);
        CREATE TABLE crl (id INTEGER PRIMARY KEY CHECK (id = 1), number INTEGER NOT NULL);
        INSERT INTO crl (id, number) VALUES (1, 0);
        """,
    ];

    private readonly string _connectionString;
    private readonly System.Collections.Concurrent.ConcurrentQueue<PendingAdd> _pendingAdds = new();
    private readonly SemaphoreSlim _writer = new(1, 1);

    public SqliteCaStore(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true }.ToString();
        Migrate();
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var pragma = connection.CreateCommand();
        // journal_mode=WAL is a property of the file, set once by Migrate; these are per connection
        pragma.CommandText = "PRAGMA synchronous=FULL; PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON;";
        pragma.ExecuteNonQuery();
        return connection;
    }

    private void Migrate()
    {
        using var connection = Open();
        Execute(connection, null, "PRAGMA journal_mode=WAL");
        Execute(connection, null, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
        var version = Convert.ToInt32(Scalar(connection, null, "SELECT COALESCE(MAX(version), 0) FROM schema_version"), CultureInfo.InvariantCulture);
        for (var i = version; i < Migrations.Length; i++)
        {
            using var tx = connection.BeginTransaction();
            Execute(connection, tx, Migrations[i]);
            Execute(connection, tx, "INSERT INTO schema_version (version) VALUES ($v)", ("$v", i + 1));
            tx.Commit();
        }
    }

    /// <summary>
    /// Group commit: concurrent adds queue up, and whoever holds the writer lock writes every
    /// queued one in one transaction (one fsync), each inside its own savepoint so one refused
    /// add (a token used meanwhile) fails alone. An add returns only once its row is committed.
    /// </summary>
    public async Task AddAsync(CertificateRecord c, string? tokenHash = null, IReadOnlyCollection<string>? supersedes = null, CancellationToken ct = default)
    {
        var add = new PendingAdd(c, tokenHash, supersedes);
        _pendingAdds.Enqueue(add);
        await _writer.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (!add.Done.Task.IsCompleted) CommitPendingAdds();
        }
        finally
        {
            _writer.Release();
        }
        await add.Done.Task.ConfigureAwait(false);
    }

    private void CommitPendingAdds()
    {
        var batch = new List<PendingAdd>();
        while (_pendingAdds.TryDequeue(out var queued)) batch.Add(queued);
        var refused = new Dictionary<PendingAdd, Exception>();
        try
        {
            using var connection = Open();
            using var tx = connection.BeginTransaction();
            foreach (var add in batch)
            {
                tx.Save("one_add");
                try
                {
                    Insert(connection, tx, add);
                    tx.Release("one_add");
                }
                catch (Exception e) when (e is CaRequestException or SqliteException)
                {
                    tx.Rollback("one_add");
                    refused[add] = e;
                }
            }
            tx.Commit();
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

    private static void Insert(SqliteConnection connection, SqliteTransaction tx, PendingAdd add)
    {
        var c = add.Certificate;
        if (add.TokenHash is not null)
        {
            var consumed = Execute(connection, tx, "UPDATE tokens SET used_at = $now WHERE hash = $h AND used_at IS NULL AND expires_at > $now",
                ("$h", add.TokenHash), ("$now", Time(DateTimeOffset.UtcNow)));
            if (consumed != 1) throw CaRequestException.BadParameter("the enrollment token was used meanwhile");
        }
        foreach (var serial in add.Supersedes ?? [])
            Execute(connection, tx, "UPDATE certificates SET status = 'Superseded' WHERE serial = $s AND status = 'Valid'", ("$s", serial));
        Execute(connection, tx,
            """
            INSERT INTO certificates (serial, subject, sans, holder, router_id, not_before, not_after, status, pem, issued_at)
            VALUES ($serial, $subject, $sans, $holder, $router, $nb, $na, 'Valid', $pem, $now)
            """,
            ("$serial", c.SerialNumber), ("$subject", c.Subject), ("$sans", c.SubjectAlternativeNames), ("$holder", c.Holder),
            ("$router", c.RouterId), ("$nb", Time(c.NotBefore)), ("$na", Time(c.NotAfter)), ("$pem", c.Pem), ("$now", Time(DateTimeOffset.UtcNow)));
    }

    private sealed class PendingAdd(CertificateRecord certificate, string? tokenHash, IReadOnlyCollection<string>? supersedes)
    {
        public CertificateRecord Certificate => certificate;
        public string? TokenHash => tokenHash;
        public IReadOnlyCollection<string>? Supersedes => supersedes;
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public Task<CertificateRecord?> FindAsync(string serialNumber, CancellationToken ct = default) =>
        Task.FromResult(QueryCertificates("SELECT * FROM certificates WHERE serial = $s", ("$s", serialNumber.ToUpperInvariant())).FirstOrDefault());

    public Task<CertificateRecord?> CurrentForHolderAsync(string holder, CancellationToken ct = default) =>
        Task.FromResult(QueryCertificates("SELECT * FROM certificates WHERE holder = $h AND status = 'Valid' ORDER BY not_after DESC LIMIT 1", ("$h", holder)).FirstOrDefault());

    public Task<IReadOnlyList<CertificateRecord>> ValidForHolderAsync(string holder, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<CertificateRecord>>(QueryCertificates("SELECT * FROM certificates WHERE holder = $h AND status = 'Valid' ORDER BY not_after", ("$h", holder)));

    public Task<int> CountAsync(CancellationToken ct = default)
    {
        using var connection = Open();
        return Task.FromResult(Convert.ToInt32(Scalar(connection, null, "SELECT COUNT(*) FROM certificates"), CultureInfo.InvariantCulture));
    }

    public Task<bool> RevokeAsync(string serialNumber, DateTimeOffset at, string? reason, CancellationToken ct = default)
    {
        using var connection = Open();
        var changed = Execute(connection, null, "UPDATE certificates SET status = 'Revoked', revoked_at = $at, reason = $r WHERE serial = $s AND status <> 'Revoked'",
            ("$s", serialNumber.ToUpperInvariant()), ("$at", Time(at)), ("$r", reason));
        return Task.FromResult(changed == 1);
    }

    public Task<IReadOnlyList<CertificateRecord>> RevokedAsync(CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<CertificateRecord>>(QueryCertificates("SELECT * FROM certificates WHERE status = 'Revoked'"));

    public Task<long> NextCrlNumberAsync(CancellationToken ct = default)
    {
        using var connection = Open();
        return Task.FromResult(Convert.ToInt64(Scalar(connection, null, "UPDATE crl SET number = number + 1 WHERE id = 1 RETURNING number"), CultureInfo.InvariantCulture));
    }

    public Task<IReadOnlyList<CertificateRecord>> ExpiringAsync(DateTimeOffset before, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<CertificateRecord>>(QueryCertificates(
            "SELECT * FROM certificates WHERE status = 'Valid' AND not_after < $b ORDER BY not_after", ("$b", Time(before))));

    public Task MarkExpiryAlertAsync(string serialNumber, DateTimeOffset? at, CancellationToken ct = default) =>
        Update("UPDATE certificates SET last_expiry_alert_at = $at WHERE serial = $s", serialNumber, at);

    public Task MarkRenewalRequestedAsync(string serialNumber, DateTimeOffset? at, CancellationToken ct = default) =>
        Update("UPDATE certificates SET renewal_requested_at = $at WHERE serial = $s", serialNumber, at);

    public Task AddTokenAsync(EnrollmentTokenRecord token, CancellationToken ct = default)
    {
        using var connection = Open();
        Execute(connection, null, "INSERT INTO tokens (hash, holder, router_id, expires_at) VALUES ($h, $holder, $r, $e)",
            ("$h", token.Hash), ("$holder", token.Holder), ("$r", token.RouterId), ("$e", Time(token.ExpiresAt)));
        return Task.CompletedTask;
    }

    public Task<EnrollmentTokenRecord?> FindTokenAsync(string hash, CancellationToken ct = default)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT hash, holder, router_id, expires_at, used_at FROM tokens WHERE hash = $h";
        command.Parameters.AddWithValue("$h", hash);
        using var reader = command.ExecuteReader();
        if (!reader.Read()) return Task.FromResult<EnrollmentTokenRecord?>(null);
        return Task.FromResult<EnrollmentTokenRecord?>(new EnrollmentTokenRecord(reader.GetString(0), reader.GetString(1),
            reader.IsDBNull(2) ? null : reader.GetString(2), ParseTime(reader.GetString(3))!.Value, ParseTime(reader.IsDBNull(4) ? null : reader.GetString(4))));
    }

    private Task Update(string sql, string serial, DateTimeOffset? at)
    {
        using var connection = Open();
        Execute(connection, null, sql, ("$s", serial), ("$at", at is null ? null : Time(at.Value)));
        return Task.CompletedTask;
    }

    private List<CertificateRecord> QueryCertificates(string sql, params (string, object?)[] parameters)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        using var reader = command.ExecuteReader();
        var list = new List<CertificateRecord>();
        while (reader.Read())
        {
            string? S(string column) => reader.IsDBNull(reader.GetOrdinal(column)) ? null : reader.GetString(reader.GetOrdinal(column));
            list.Add(new CertificateRecord
            {
                SerialNumber = S("serial")!, Subject = S("subject")!, SubjectAlternativeNames = S("sans")!, Holder = S("holder"), RouterId = S("router_id"),
                NotBefore = ParseTime(S("not_before"))!.Value, NotAfter = ParseTime(S("not_after"))!.Value,
                Status = Enum.Parse<CertificateStatus>(S("status")!), RevokedAt = ParseTime(S("revoked_at")), RevocationReason = S("reason"),
                Pem = S("pem")!, LastExpiryAlertAt = ParseTime(S("last_expiry_alert_at")), RenewalRequestedAt = ParseTime(S("renewal_requested_at")),
            });
        }
        return list;
    }

    private static int Execute(SqliteConnection connection, SqliteTransaction? tx, string sql, params (string, object?)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, SqliteTransaction? tx, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    /// <summary>ISO-8601 UTC with a fixed width, so text comparison in SQL is time comparison.</summary>
    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset? ParseTime(string? s) =>
        s is null ? null : DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
