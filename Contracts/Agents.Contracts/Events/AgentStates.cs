namespace Agents.Contracts.Events;

/// <summary>The states of an agent as its bridge reports them (<see cref="AgentStateChanged"/>).</summary>
public static class AgentStates
{
    public const string Up = "Up";
    public const string Down = "Down";
    /// <summary>Connected but silent past the heartbeat timeout; its session is closed.</summary>
    public const string Unresponsive = "Unresponsive";
}
