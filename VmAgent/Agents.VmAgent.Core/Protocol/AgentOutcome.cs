namespace Agents.VmAgent.Core.Protocol;

/// <summary>Same names as the bus's CommandOutcome; the agent only ever reports the first three.</summary>
public enum AgentOutcome
{
    Success,
    Failed,
    Rejected,
    DeliveryTimedOut,
    ExecutionTimedOut,
}
