using Agents.Contracts.Commands;
using Agents.Contracts.Protocol;
using Agents.VmAgent.Core.Logging;
using Agents.VmAgent.Core.Policy;

namespace Agents.VmAgent.Core.Handlers;

/// <summary>Executes one command type. The executor has already checked the type against the policy and the journal.</summary>
public interface ICommandHandler
{
    string CommandType { get; }

    Task<HandlerResult> HandleAsync(CommandContext context, CancellationToken ct);
}

public sealed record CommandContext(CommandFrame Command, AgentPolicy Policy, IAgentLog Log, string WorkDirectory);

public sealed record HandlerResult(CommandOutcome Outcome, int? ExitCode = null, string? Stdout = null, string? Stderr = null, string? Message = null)
{
    public static HandlerResult Success(string message) => new(CommandOutcome.Success, Message: message);
    public static HandlerResult Rejected(string reason) => new(CommandOutcome.Rejected, Message: reason);
    public static HandlerResult Failed(string message) => new(CommandOutcome.Failed, Message: message);
}

/// <summary>Thrown by a handler when the input is refused before anything changed; the executor answers Rejected.</summary>
public sealed class CommandRejectedException : Exception
{
    public CommandRejectedException() { }
    public CommandRejectedException(string message) : base(message) { }
    public CommandRejectedException(string message, Exception inner) : base(message, inner) { }
}
