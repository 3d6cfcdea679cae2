using Agents.Storage;

namespace Agents.Producers.SshKeys;

public sealed class SqlSshKeyPairStore(Database db) : ISshKeyPairStore
{
    public async Task<bool> AddAsync(SshKeyPair pair, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(pair);
        return await db.ExecuteAsync(
            $"{db.Dialect.InsertIgnore} INTO ssh_keypairs(account, name, public_key, fingerprint, created) VALUES (@a, @n, @k, @f, @t)",
            ("@a", pair.Account), ("@n", pair.Name), ("@k", pair.PublicKey), ("@f", pair.Fingerprint), ("@t", pair.Created.Iso())).ConfigureAwait(false) > 0;
    }

    public async Task<IReadOnlyList<SshKeyPair>> ListAsync(string? account, string? name, CancellationToken ct) =>
        await db.QueryAsync(
            "SELECT account, name, public_key, fingerprint, created FROM ssh_keypairs WHERE (@a IS NULL OR account = @a) AND (@n IS NULL OR name = @n) ORDER BY account, name",
            r => new SshKeyPair(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.Time(4)), ("@a", account), ("@n", name)).ConfigureAwait(false);

    public async Task<bool> DeleteAsync(string account, string name, CancellationToken ct) =>
        await db.ExecuteAsync("DELETE FROM ssh_keypairs WHERE account = @a AND name = @n", ("@a", account), ("@n", name)).ConfigureAwait(false) > 0;
}
