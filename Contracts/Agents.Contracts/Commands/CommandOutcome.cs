namespace Agents.Contracts.Commands;

/// <summary>The terminal states of a command. Every command ends in exactly one of them.</summary>
public enum CommandOutcome
{
    Success,
    Failed,
    /// <summary>The agent's local policy refused it.</summary>
    Rejected,
    /// <summary>No agent for the target connected within the delivery timeout.</summary>
    DeliveryTimedOut,
    /// <summary>The agent took the command but did not answer within the execution timeout.</summary>
    ExecutionTimedOut,
}
