namespace Agents.Contracts.Commands;

/// <summary>Set a user's password. The password travels sealed to the agent's certificate key, never in plaintext.</summary>
public sealed record ResetVmPassword
{
    public required string Username { get; init; }
    public required SealedSecret SealedPassword { get; init; }
}
