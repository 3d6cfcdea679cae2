using System.Text.Json;
using System.Text.Json.Serialization;
using Agents.Contracts.Commands;

namespace Agents.Contracts.Protocol;

/// <summary>
/// Bridge → agent: one command. <see cref="Payload"/> is the bus command's payload element, relayed
/// as the bridge read it; the command type travels as <c>commandType</c> because <c>type</c> names the frame.
/// </summary>
public sealed record CommandFrame(Guid CommandId, Guid JobId, [property: JsonPropertyName("commandType")] string Type, JsonElement Payload, int TimeoutSeconds) : Frame
{
    public static CommandFrame For(AgentCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return new(command.CommandId, command.JobId, command.Type, command.Payload, command.ExecutionTimeoutSeconds);
    }

    /// <exception cref="InvalidMessageException">The payload is not a <typeparamref name="T"/>.</exception>
    public T PayloadAs<T>() => AgentJson.Deserialize<T>(Payload);
}
