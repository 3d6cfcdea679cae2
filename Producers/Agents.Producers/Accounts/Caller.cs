namespace Agents.Producers.Accounts;

/// <summary>Who made the request: a user of an account and the account's role. A user acts only on its own account's resources.</summary>
public sealed record Caller(string Account, Role Role, string? UserId = null, string? UserName = null)
{
    public bool IsAdmin => Role == Role.Admin;

    public bool Owns(string account) => IsAdmin || string.Equals(account, Account, StringComparison.Ordinal);
}
