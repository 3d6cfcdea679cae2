namespace Agents.Producers.Accounts;

public enum Role { Admin, User }

/// <summary>Who signed the request: an account and its role. A user acts only on its own account's resources.</summary>
public sealed record Caller(string Account, Role Role)
{
    public bool IsAdmin => Role == Role.Admin;

    public bool Owns(string account) => IsAdmin || string.Equals(account, Account, StringComparison.Ordinal);
}

/// <summary>A key pair as the caller sees it once, at creation.</summary>
public sealed record ApiKeyPair(string ApiKey, string SecretKey);
