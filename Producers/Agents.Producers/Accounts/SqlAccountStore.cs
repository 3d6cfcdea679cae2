using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Agents.Producers.Storage;
using Agents.Storage;

namespace Agents.Producers.Accounts;

public sealed class SqlAccountStore(Database db, SecretBox box, TimeProvider time) : IAccountStore
{
    private const string UserColumns = "u.id, u.account, a.id, a.role, u.username, u.firstname, u.lastname, u.email, u.state, u.created";

    private static string Hash(string apiKey) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(apiKey)));

    private static string SecretPurpose(string apiKeyHash) => "api-secret/" + apiKeyHash;

    private static string KeyPurpose(string apiKeyHash) => "api-key/" + apiKeyHash;

    private static UserInfo MapUser(DbDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), Enum.Parse<Role>(r.GetString(3)), r.GetString(4), r.NullableString(5), r.NullableString(6),
            r.NullableString(7), r.GetString(8), r.Time(9));

    public async Task<(Caller Caller, string SecretKey)?> FindAsync(string apiKey, CancellationToken ct)
    {
        var hash = Hash(apiKey);
        var rows = await db.QueryAsync(
            "SELECT a.name, a.role, k.secret_sealed, u.id, u.username, u.state FROM api_keys k JOIN accounts a ON a.name = k.account " +
            "LEFT JOIN users u ON u.id = k.user_id WHERE k.api_key_hash = @h",
            r => (Caller: new Caller(r.GetString(0), Enum.Parse<Role>(r.GetString(1)), r.NullableString(3), r.NullableString(4)),
                  Sealed: r.Bytes(2), State: r.NullableString(5)), ("@h", hash)).ConfigureAwait(false);
        if (rows.Count == 0 || rows[0].State is "disabled" or "locked") return null;
        return (rows[0].Caller, box.Open(rows[0].Sealed, SecretPurpose(hash)));
    }

    public async Task<ApiKeyPair> CreateKeysAsync(string account, Role role, CancellationToken ct)
    {
        var keys = NewPair();
        await EnsureKeysAsync(account, role, keys, ct).ConfigureAwait(false);
        return keys;
    }

    public async Task<ApiKeyPair> CreateKeysForUserAsync(string userId, CancellationToken ct)
    {
        var user = await FindUserAsync(userId, ct).ConfigureAwait(false) ?? throw new KeyNotFoundException($"no user {userId}");
        var keys = NewPair();
        await db.InTransactionAsync(async tx =>
        {
            // CloudStack's registerUserKeys replaces the user's pair: the old one stops working at once
            await tx.ExecuteAsync("DELETE FROM api_keys WHERE user_id = @u", ("@u", user.Id)).ConfigureAwait(false);
            await InsertKeyAsync(tx, user.Account, user.Id, keys).ConfigureAwait(false);
        }, ct).ConfigureAwait(false);
        return keys;
    }

    public async Task<ApiKeyPair?> GetKeysAsync(string userId, CancellationToken ct)
    {
        var rows = await db.QueryAsync(
            "SELECT api_key_hash, api_key_sealed, secret_sealed FROM api_keys WHERE user_id = @u AND api_key_sealed IS NOT NULL ORDER BY created DESC LIMIT 1",
            r => (Hash: r.GetString(0), Key: r.Bytes(1), Secret: r.Bytes(2)), ("@u", userId)).ConfigureAwait(false);
        return rows.Count == 0 ? null : new ApiKeyPair(box.Open(rows[0].Key, KeyPurpose(rows[0].Hash)), box.Open(rows[0].Secret, SecretPurpose(rows[0].Hash)));
    }

    public Task EnsureKeysAsync(string account, Role role, ApiKeyPair keys, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return db.InTransactionAsync(async tx =>
        {
            var now = time.GetUtcNow().Iso();
            await tx.ExecuteAsync(db.Dialect.Upsert("accounts", ["name", "role", "created", "id"], ["name"], ["role"]),
                ("@name", account), ("@role", role.ToString()), ("@created", now), ("@id", NewId())).ConfigureAwait(false);
            // keys belong to a user: the account's first one, made (named as the account) when it has none
            var userId = (string?)await tx.ScalarAsync($"SELECT id FROM users WHERE account = @a ORDER BY created, id LIMIT 1{db.Dialect.ForUpdate}",
                ("@a", account)).ConfigureAwait(false);
            if (userId is null)
            {
                userId = NewId();
                var taken = Convert.ToInt64(await tx.ScalarAsync("SELECT count(*) FROM users WHERE username = @a", ("@a", account)).ConfigureAwait(false),
                    System.Globalization.CultureInfo.InvariantCulture) > 0;
                await tx.ExecuteAsync("INSERT INTO users(id, account, username, state, created) VALUES (@id, @a, @n, 'enabled', @t)",
                    ("@id", userId), ("@a", account), ("@n", taken ? $"{account}-{userId[..8]}" : account), ("@t", now)).ConfigureAwait(false);
            }
            await InsertKeyAsync(tx, account, userId, keys).ConfigureAwait(false);
        }, ct);
    }

    public async Task<bool> CreateAccountAsync(string account, Role role, NewUser firstUser, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(firstUser);
        return await db.InTransactionAsync(async tx =>
        {
            var created = await tx.ExecuteAsync($"{db.Dialect.InsertIgnore} INTO accounts(name, role, created, id) VALUES (@a, @r, @t, @id)",
                ("@a", account), ("@r", role.ToString()), ("@t", time.GetUtcNow().Iso()), ("@id", NewId())).ConfigureAwait(false);
            if (created == 0) return false;
            await InsertUserAsync(tx, account, firstUser).ConfigureAwait(false);
            return true;
        }, ct).ConfigureAwait(false);
    }

    public async Task<UserInfo?> CreateUserAsync(string account, NewUser user, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        var id = await db.InTransactionAsync(async tx =>
        {
            var exists = await tx.ScalarAsync($"SELECT name FROM accounts WHERE name = @a{db.Dialect.ForUpdate}", ("@a", account)).ConfigureAwait(false);
            return exists is null ? null : await InsertUserAsync(tx, account, user).ConfigureAwait(false);
        }, ct).ConfigureAwait(false);
        return id is null ? null : await FindUserAsync(id, ct).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<AccountInfo>> ListAccountsAsync(CancellationToken ct) =>
        await db.QueryAsync("SELECT id, name, role, created FROM accounts ORDER BY name",
            r => new AccountInfo(r.GetString(0), r.GetString(1), Enum.Parse<Role>(r.GetString(2)), r.Time(3))).ConfigureAwait(false);

    public async Task<IReadOnlyList<UserInfo>> ListUsersAsync(CancellationToken ct) =>
        await db.QueryAsync($"SELECT {UserColumns} FROM users u JOIN accounts a ON a.name = u.account ORDER BY u.username", MapUser).ConfigureAwait(false);

    public Task<UserInfo?> FindUserAsync(string userId, CancellationToken ct) =>
        db.SingleAsync($"SELECT {UserColumns} FROM users u JOIN accounts a ON a.name = u.account WHERE u.id = @id", MapUser, ("@id", userId));

    public async Task<(UserInfo User, string? PasswordHash)?> FindLoginAsync(string username, CancellationToken ct)
    {
        var rows = await db.QueryAsync($"SELECT {UserColumns}, u.password_hash FROM users u JOIN accounts a ON a.name = u.account WHERE u.username = @n",
            r => (MapUser(r), r.NullableString(10)), ("@n", username)).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<UserInfo?> UpdateUserAsync(string userId, UserUpdate update, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(update);
        try
        {
            await db.ExecuteAsync(
                "UPDATE users SET username = COALESCE(@n, username), password_hash = COALESCE(@p, password_hash), firstname = COALESCE(@f, firstname), " +
                "lastname = COALESCE(@l, lastname), email = COALESCE(@e, email) WHERE id = @id",
                ("@n", update.Username), ("@p", update.PasswordHash), ("@f", update.FirstName), ("@l", update.LastName), ("@e", update.Email), ("@id", userId)).ConfigureAwait(false);
        }
        catch (DbException e) when (SqlDialect.IsDuplicateKey(e))
        {
            throw new InvalidOperationException($"the user name {update.Username} is taken", e);
        }
        return await FindUserAsync(userId, ct).ConfigureAwait(false);
    }

    private async Task<string> InsertUserAsync(DbTransaction tx, string account, NewUser user)
    {
        var id = NewId();
        try
        {
            await tx.ExecuteAsync(
                "INSERT INTO users(id, account, username, password_hash, firstname, lastname, email, state, created) VALUES (@id, @a, @n, @p, @f, @l, @e, 'enabled', @t)",
                ("@id", id), ("@a", account), ("@n", user.Username), ("@p", user.PasswordHash), ("@f", user.FirstName), ("@l", user.LastName), ("@e", user.Email),
                ("@t", time.GetUtcNow().Iso())).ConfigureAwait(false);
        }
        catch (DbException e) when (SqlDialect.IsDuplicateKey(e))
        {
            throw new InvalidOperationException($"the user name {user.Username} is taken", e);
        }
        return id;
    }

    private async Task InsertKeyAsync(DbTransaction tx, string account, string userId, ApiKeyPair keys)
    {
        var hash = Hash(keys.ApiKey);
        await tx.ExecuteAsync(
            db.Dialect.Upsert("api_keys", ["api_key_hash", "account", "secret_sealed", "created", "user_id", "api_key_sealed"], ["api_key_hash"],
                ["account", "secret_sealed", "user_id", "api_key_sealed"]),
            ("@api_key_hash", hash), ("@account", account), ("@secret_sealed", box.Seal(keys.SecretKey, SecretPurpose(hash))), ("@created", time.GetUtcNow().Iso()),
            ("@user_id", userId), ("@api_key_sealed", box.Seal(keys.ApiKey, KeyPurpose(hash)))).ConfigureAwait(false);
    }

    private static string NewId() => Guid.NewGuid().ToString();

    private static ApiKeyPair NewPair() => new(NewKey(), NewKey());

    /// <summary>64 random bytes, base64url: the length and alphabet of CloudStack's keys.</summary>
    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(64)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
