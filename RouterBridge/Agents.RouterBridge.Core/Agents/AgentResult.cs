using Agents.VmAgent.Core.Protocol;

namespace Agents.RouterBridge.Core.Agents;

/// <summary>The terminal answer for one command, from the agent or from the bridge's own timeouts.</summary>
public sealed record AgentResult(
    Guid CommandId,
    AgentOutcome Outcome,
    int? ExitCode = null,
    string? Stdout = null,
    string? Stderr = null,
    string? Message = null,
    long DurationMs = 0)
{
    public static AgentResult From(ResultFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        return new(frame.CommandId, frame.Outcome, frame.ExitCode, frame.Stdout, frame.Stderr, frame.Message, frame.DurationMs);
    }
}

/// <summary>A command to relay; <see cref="Payload"/> is the bus payload as JSON text (camelCase).</summary>
public sealed record AgentCommandRequest(Guid CommandId, Guid JobId, string Type, string PayloadJson, int TimeoutSeconds = 300);
