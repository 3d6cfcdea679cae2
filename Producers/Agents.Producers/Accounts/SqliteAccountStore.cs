using System.Security.Cryptography;
using System.Text;
using Agents.Producers.Storage;

namespace Agents.Producers.Accounts;

public sealed class SqliteAccountStore(Database db, SecretBox box) : IAccountStore
{
    private static string Hash(string apiKey) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(apiKey)));

    private static string Purpose(string apiKeyHash) => "api-secret/" + apiKeyHash;

    public async Task<(Caller Caller, string SecretKey)?> FindAsync(string apiKey, CancellationToken ct)
    {
        var hash = Hash(apiKey);
        var rows = await db.QueryAsync(
            "SELECT k.account, a.role, k.secret_sealed FROM api_keys k JOIN accounts a ON a.name = k.account WHERE k.api_key_hash = $h",
            r => (Account: r.GetString(0), Role: Enum.Parse<Role>(r.GetString(1)), Sealed: (byte[])r[2]), ("$h", hash)).ConfigureAwait(false);
        if (rows.Count == 0) return null;
        var row = rows[0];
        return (new Caller(row.Account, row.Role), box.Open(row.Sealed, Purpose(hash)));
    }

    public async Task<ApiKeyPair> CreateKeysAsync(string account, Role role, CancellationToken ct)
    {
        var keys = new ApiKeyPair(NewKey(), NewKey());
        await EnsureKeysAsync(account, role, keys, ct).ConfigureAwait(false);
        return keys;
    }

    public async Task EnsureKeysAsync(string account, Role role, ApiKeyPair keys, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var hash = Hash(keys.ApiKey);
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        await using var transaction = (Microsoft.Data.Sqlite.SqliteTransaction)await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        await using (var upsert = connection.Command(
            "INSERT INTO accounts(name, role, created) VALUES ($a, $r, $t) ON CONFLICT(name) DO UPDATE SET role = excluded.role",
            ("$a", account), ("$r", role.ToString()), ("$t", DateTimeOffset.UtcNow.Iso())))
        {
            upsert.Transaction = transaction;
            await upsert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        await using (var key = connection.Command(
            "INSERT INTO api_keys(api_key_hash, account, secret_sealed, created) VALUES ($h, $a, $s, $t) " +
            "ON CONFLICT(api_key_hash) DO UPDATE SET account = excluded.account, secret_sealed = excluded.secret_sealed",
            ("$h", hash), ("$a", account), ("$s", box.Seal(keys.SecretKey, Purpose(hash))), ("$t", DateTimeOffset.UtcNow.Iso())))
        {
            key.Transaction = transaction;
            await key.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        await transaction.CommitAsync(ct).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<(string Name, Role Role)>> ListAccountsAsync(CancellationToken ct) =>
        await db.QueryAsync("SELECT name, role FROM accounts ORDER BY name", r => (r.GetString(0), Enum.Parse<Role>(r.GetString(1)))).ConfigureAwait(false);

    /// <summary>64 random bytes, base64url: the length and alphabet of CloudStack's keys.</summary>
    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(64)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
