namespace Agents.Contracts.Commands;

/// <summary>The values of <see cref="AgentCommand.Type"/> (and of the command frame's <c>commandType</c>): the payload record's name.</summary>
public static class CommandTypes
{
    public const string ResetVmPassword = nameof(Commands.ResetVmPassword);
    public const string ResetVmSshKey = nameof(Commands.ResetVmSshKey);
    public const string RunRecipe = nameof(Commands.RunRecipe);
    public const string RekeyCertificate = nameof(Commands.RekeyCertificate);
    /// <summary>For the router itself: run its health checks now; the outcome's stdout holds the results as JSON.</summary>
    public const string RunHealthChecks = nameof(Commands.RunHealthChecks);

    public static IReadOnlyList<string> All { get; } = [ResetVmPassword, ResetVmSshKey, RunRecipe, RekeyCertificate, RunHealthChecks];
}
