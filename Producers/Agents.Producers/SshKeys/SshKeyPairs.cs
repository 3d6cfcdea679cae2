using System.Security.Cryptography;
using Agents.Storage;

namespace Agents.Producers.SshKeys;

/// <summary>An account's registered public key (CloudStack's SSH key pair without the private half).</summary>
public sealed record SshKeyPair(string Account, string Name, string PublicKey, string Fingerprint, DateTimeOffset Created)
{
    /// <summary>CloudStack shows the MD5 fingerprint of the key blob (aa:bb:…).</summary>
    public static string FingerprintOf(string publicKey)
    {
        var parts = publicKey.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2 || !parts[0].StartsWith("ssh-", StringComparison.Ordinal) && !parts[0].StartsWith("ecdsa-", StringComparison.Ordinal))
            throw new FormatException("not an OpenSSH public key (type base64 [comment])");
        byte[] blob;
        try { blob = Convert.FromBase64String(parts[1]); }
        catch (FormatException) { throw new FormatException("the key's base64 part is not base64"); }
#pragma warning disable CA5351 // MD5 is the fingerprint format CloudStack shows, not a security control
        return string.Join(':', MD5.HashData(blob).Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
#pragma warning restore CA5351
    }
}

public interface ISshKeyPairStore
{
    /// <summary>False when the account already has a key pair of that name.</summary>
    Task<bool> AddAsync(SshKeyPair pair, CancellationToken ct);

    Task<IReadOnlyList<SshKeyPair>> ListAsync(string? account, string? name, CancellationToken ct);

    Task<bool> DeleteAsync(string account, string name, CancellationToken ct);
}

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
