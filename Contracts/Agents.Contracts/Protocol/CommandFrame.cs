using System.Text.Json;
using System.Text.Json.Serialization;
using Agents.Contracts.Commands;

namespace Agents.Contracts.Protocol;

/// <summary>
/// Bridge → agent: one command. <see cref="Payload"/> is the bus command's payload element, relayed
/// as the bridge read it; the command type travels as <c>commandType</c> because <c>type</c> names the frame.
/// <see cref="TraceParent"/> (optional, W3C <c>traceparent</c>) is the command's trace: the agent logs
/// its trace id with the command and hands it back in the result; a frame without it is as valid.
/// </summary>
public sealed record CommandFrame(
    Guid CommandId,
    Guid JobId,
    [property: JsonPropertyName("commandType")] string Type,
    JsonElement Payload,
    int TimeoutSeconds,
    [property: JsonPropertyName("traceparent")] string? TraceParent = null) : Frame
{
    public static CommandFrame For(AgentCommand command, string? traceParent = null)
    {
        ArgumentNullException.ThrowIfNull(command);
        return new(command.CommandId, command.JobId, command.Type, command.Payload, command.ExecutionTimeoutSeconds, traceParent);
    }

    /// <summary>The trace id of <see cref="TraceParent"/> (32 hex digits), or null when there is none or it is not a W3C traceparent.</summary>
    [JsonIgnore]
    public string? TraceId => TraceContext.TraceIdOf(TraceParent);

    /// <exception cref="InvalidMessageException">The payload is not a <typeparamref name="T"/>.</exception>
    public T PayloadAs<T>() => AgentJson.Deserialize<T>(Payload);
}
