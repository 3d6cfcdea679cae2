using System.Security.Cryptography;
using System.Text;
using Agents.Producers.Storage;
using Agents.Storage;

namespace Agents.Producers.Accounts;

public sealed class SqlAccountStore(Database db, SecretBox box) : IAccountStore
{
    private static string Hash(string apiKey) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(apiKey)));

    private static string Purpose(string apiKeyHash) => "api-secret/" + apiKeyHash;

    public async Task<(Caller Caller, string SecretKey)?> FindAsync(string apiKey, CancellationToken ct)
    {
        var hash = Hash(apiKey);
        var rows = await db.QueryAsync(
            "SELECT k.account, a.role, k.secret_sealed FROM api_keys k JOIN accounts a ON a.name = k.account WHERE k.api_key_hash = @h",
            r => (Account: r.GetString(0), Role: Enum.Parse<Role>(r.GetString(1)), Sealed: r.Bytes(2)), ("@h", hash)).ConfigureAwait(false);
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

    public Task EnsureKeysAsync(string account, Role role, ApiKeyPair keys, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var hash = Hash(keys.ApiKey);
        var now = DateTimeOffset.UtcNow.Iso();
        return db.InTransactionAsync(async tx =>
        {
            await tx.ExecuteAsync(db.Dialect.Upsert("accounts", ["name", "role", "created"], ["name"], ["role"]),
                ("@name", account), ("@role", role.ToString()), ("@created", now)).ConfigureAwait(false);
            await tx.ExecuteAsync(db.Dialect.Upsert("api_keys", ["api_key_hash", "account", "secret_sealed", "created"], ["api_key_hash"], ["account", "secret_sealed"]),
                ("@api_key_hash", hash), ("@account", account), ("@secret_sealed", box.Seal(keys.SecretKey, Purpose(hash))), ("@created", now)).ConfigureAwait(false);
        }, ct);
    }

    public async Task<IReadOnlyList<(string Name, Role Role)>> ListAccountsAsync(CancellationToken ct) =>
        await db.QueryAsync("SELECT name, role FROM accounts ORDER BY name", r => (r.GetString(0), Enum.Parse<Role>(r.GetString(1)))).ConfigureAwait(false);

    /// <summary>64 random bytes, base64url: the length and alphabet of CloudStack's keys.</summary>
    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(64)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
