namespace Agents.Producers.Accounts;

/// <summary>An account as listAccounts shows it.</summary>
public sealed record AccountInfo(string Id, string Name, Role Role, DateTimeOffset Created)
{
    /// <summary>CloudStack's account type number: 1 root admin, 0 user.</summary>
    public int AccountType => Role == Role.Admin ? 1 : 0;
}
