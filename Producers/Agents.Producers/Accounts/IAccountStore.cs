namespace Agents.Producers.Accounts;

/// <summary>
/// Accounts, their users and the users' API keys. API keys are found by their SHA-256 hash and
/// kept encrypted (getUserKeys shows them again); secret keys encrypted (HMAC verification needs
/// them); passwords as slow salted hashes.
/// </summary>
public interface IAccountStore
{
    /// <summary>The caller and secret key of an API key, or null when the key is unknown or its user disabled.</summary>
    Task<(Caller Caller, string SecretKey)?> FindAsync(string apiKey, CancellationToken ct);

    /// <summary>Creates the account (and its first user, named as the account) if needed and gives that user a fresh key pair.</summary>
    Task<ApiKeyPair> CreateKeysAsync(string account, Role role, CancellationToken ct);

    /// <summary>A fresh key pair for a user (registerUserKeys id=…); the older ones stop working.</summary>
    Task<ApiKeyPair> CreateKeysForUserAsync(string userId, CancellationToken ct);

    /// <summary>The user's current key pair, or null when it has none.</summary>
    Task<ApiKeyPair?> GetKeysAsync(string userId, CancellationToken ct);

    /// <summary>Stores a given key pair (bootstrap of the first admin); idempotent.</summary>
    Task EnsureKeysAsync(string account, Role role, ApiKeyPair keys, CancellationToken ct);

    /// <summary>False when an account of that name exists (nothing changed).</summary>
    Task<bool> CreateAccountAsync(string account, Role role, NewUser firstUser, CancellationToken ct);

    /// <summary>Null when the account does not exist; throws <see cref="InvalidOperationException"/> when the user name is taken.</summary>
    Task<UserInfo?> CreateUserAsync(string account, NewUser user, CancellationToken ct);

    Task<IReadOnlyList<AccountInfo>> ListAccountsAsync(CancellationToken ct);

    Task<IReadOnlyList<UserInfo>> ListUsersAsync(CancellationToken ct);

    Task<UserInfo?> FindUserAsync(string userId, CancellationToken ct);

    /// <summary>A user and its password hash by user name (login).</summary>
    Task<(UserInfo User, string? PasswordHash)?> FindLoginAsync(string username, CancellationToken ct);

    /// <summary>Null when the user does not exist; throws <see cref="InvalidOperationException"/> when a new user name is taken.</summary>
    Task<UserInfo?> UpdateUserAsync(string userId, UserUpdate update, CancellationToken ct);
}
