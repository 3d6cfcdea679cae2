namespace Agents.Producers.Accounts;

/// <summary>Accounts and their API keys. API keys are stored as SHA-256 hashes; secret keys encrypted (HMAC verification needs them).</summary>
public interface IAccountStore
{
    /// <summary>The caller and secret key of an API key, or null when the key is unknown.</summary>
    Task<(Caller Caller, string SecretKey)?> FindAsync(string apiKey, CancellationToken ct);

    /// <summary>Creates the account if needed and gives it a fresh key pair.</summary>
    Task<ApiKeyPair> CreateKeysAsync(string account, Role role, CancellationToken ct);

    /// <summary>Stores a given key pair (bootstrap of the first admin); idempotent.</summary>
    Task EnsureKeysAsync(string account, Role role, ApiKeyPair keys, CancellationToken ct);

    Task<IReadOnlyList<(string Name, Role Role)>> ListAccountsAsync(CancellationToken ct);
}
