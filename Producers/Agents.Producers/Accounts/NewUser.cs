namespace Agents.Producers.Accounts;

/// <summary>What createAccount and createUser give for a new user; the password arrives already hashed.</summary>
public sealed record NewUser(string Username, string PasswordHash, string? FirstName, string? LastName, string? Email);
