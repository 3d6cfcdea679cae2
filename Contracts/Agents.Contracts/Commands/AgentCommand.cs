using System.Text.Json;
using System.Text.Json.Serialization;

namespace Agents.Contracts.Commands;

/// <summary>
/// A command on <c>agents.commands</c>, routed to one router's bridge and, when <see cref="VmId"/>
/// is set, relayed to that VM's agent. <see cref="CommandId"/> is the idempotency key: it stays
/// the same across redeliveries and retries, and the agent's journal runs it at most once.
/// </summary>
public sealed record AgentCommand
{
    public const int CurrentSchemaVersion = 1;

    // set, not init: the source-generated reader hands every init-only property to the object initializer, so a field left out would lose this default
    public int SchemaVersion { get; set; } = CurrentSchemaVersion;
    /// <summary>Unique per publish (AMQP message_id).</summary>
    public required Guid MessageId { get; init; }
    /// <summary>Stable across retries: the agent executes a command id at most once.</summary>
    public required Guid CommandId { get; init; }
    /// <summary>The async job this command belongs to (AMQP correlation_id).</summary>
    public required Guid JobId { get; init; }
    /// <summary>One of <see cref="CommandTypes"/>.</summary>
    public required string Type { get; init; }
    public required string RouterId { get; init; }
    /// <summary>The target VM; null when the command is for the router itself.</summary>
    public string? VmId { get; init; }
    public int Attempt { get; set; } = 1;
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>How long the bridge waits for the target agent to connect before answering DeliveryTimedOut.</summary>
    public int DeliveryTimeoutSeconds { get; set; } = 60;
    /// <summary>How long the bridge waits for the agent's result once delivered.</summary>
    public int ExecutionTimeoutSeconds { get; set; } = 300;
    /// <summary>
    /// The type-specific body, e.g. <see cref="ResetVmPassword"/>. Kept as JSON: the bridge reads the
    /// command once and relays this element in the command frame as is; only the agent's handler
    /// reads it as its record (<see cref="PayloadAs{T}"/>).
    /// </summary>
    public required JsonElement Payload { get; init; }

    [JsonIgnore]
    public string RoutingKey => Topology.CommandRoutingKey(RouterId, VmId);

    /// <exception cref="InvalidMessageException">The payload is not a <typeparamref name="T"/>.</exception>
    public T PayloadAs<T>() => AgentJson.Deserialize<T>(Payload);

    /// <summary>The payload element of a command body record (<see cref="ResetVmPassword"/> ...).</summary>
    public static JsonElement PayloadOf(object payload) => AgentJson.ToElement(payload);

    /// <summary>
    /// A command outside any API job (the CA's rekey, tools, tests): new message, command and job
    /// ids, the first attempt, created now; the timeouts keep their defaults unless given.
    /// </summary>
    public static AgentCommand Create(string type, string routerId, string? vmId, object payload, int? timeoutSeconds = null) =>
        Create(type, routerId, vmId, payload is JsonElement element ? element : PayloadOf(payload), timeoutSeconds);

    /// <inheritdoc cref="Create(string, string, string?, object, int?)"/>
    public static AgentCommand Create(string type, string routerId, string? vmId, JsonElement payload, int? timeoutSeconds = null) => new()
    {
        MessageId = Guid.NewGuid(),
        CommandId = Guid.NewGuid(),
        JobId = Guid.NewGuid(),
        Type = type,
        RouterId = routerId,
        VmId = vmId,
        CreatedAt = DateTimeOffset.UtcNow,
        DeliveryTimeoutSeconds = timeoutSeconds ?? 60,
        ExecutionTimeoutSeconds = timeoutSeconds ?? 300,
        Payload = payload,
    };
}
