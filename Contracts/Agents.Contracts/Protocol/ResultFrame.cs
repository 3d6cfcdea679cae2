using Agents.Contracts.Commands;

namespace Agents.Contracts.Protocol;

/// <summary>
/// The one terminal result of a command id: the agent's (a redelivery gets the stored one; it
/// reports Success, Failed or Rejected), or the bridge's own when no agent answered in time.
/// <see cref="TraceParent"/> (optional): the command frame's, handed back by the agent.
/// </summary>
public sealed record ResultFrame(
    Guid CommandId,
    CommandOutcome Outcome,
    int? ExitCode = null,
    string? Stdout = null,
    string? Stderr = null,
    string? Message = null,
    long DurationMs = 0,
    [property: System.Text.Json.Serialization.JsonPropertyName("traceparent")] string? TraceParent = null) : Frame
{
    public static ResultFrame DeliveryTimedOut(Guid commandId) =>
        new(commandId, CommandOutcome.DeliveryTimedOut, Message: "the VM's agent did not connect within the delivery timeout");

    public static ResultFrame ExecutionTimedOut(Guid commandId, string message = "the agent did not answer within the execution timeout") =>
        new(commandId, CommandOutcome.ExecutionTimedOut, Message: message);
}
