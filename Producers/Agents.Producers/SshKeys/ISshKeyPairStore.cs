namespace Agents.Producers.SshKeys;

/// <summary>Accounts' registered public keys.</summary>
public interface ISshKeyPairStore
{
    /// <summary>False when the account already has a key pair of that name.</summary>
    Task<bool> AddAsync(SshKeyPair pair, CancellationToken ct);

    Task<IReadOnlyList<SshKeyPair>> ListAsync(string? account, string? name, CancellationToken ct);

    Task<bool> DeleteAsync(string account, string name, CancellationToken ct);
}
