namespace Agents.Producers.Accounts;

/// <summary>updateUser's changes: null leaves a field as it is.</summary>
public sealed record UserUpdate(string? Username, string? PasswordHash, string? FirstName, string? LastName, string? Email);
