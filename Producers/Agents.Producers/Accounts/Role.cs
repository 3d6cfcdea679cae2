namespace Agents.Producers.Accounts;

/// <summary>An account's role: CloudStack's root admin or a normal user (account types 1 and 0).</summary>
public enum Role { Admin, User }
