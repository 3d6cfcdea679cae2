namespace Agents.Producers.Accounts;

/// <summary>A user of an account, as listUsers shows it; the password hash never leaves the store except to <see cref="PasswordHasher"/>.</summary>
public sealed record UserInfo(
    string Id, string Account, string AccountId, Role Role, string Username, string? FirstName, string? LastName, string? Email,
    string State, DateTimeOffset Created)
{
    public Caller AsCaller() => new(Account, Role, Id, Username);
}
