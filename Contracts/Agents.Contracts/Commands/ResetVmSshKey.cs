namespace Agents.Contracts.Commands;

/// <summary>Replace the keys in a user's authorized_keys that CloudStack manages.</summary>
public sealed record ResetVmSshKey
{
    public required string Username { get; init; }
    public required IReadOnlyList<string> PublicKeys { get; init; }
}
