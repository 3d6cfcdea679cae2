using Newtonsoft.Json.Linq;

namespace Agents.Contracts.Commands;

/// <summary>
/// A command on <c>agents.commands</c>, routed to one router's bridge and, when <see cref="VmId"/>
/// is set, relayed to that VM's agent. <see cref="CommandId"/> is the idempotency key: it stays
/// the same across redeliveries and retries, and the agent's journal runs it at most once.
/// </summary>
public sealed record AgentCommand
{
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;
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
    public int Attempt { get; init; } = 1;
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>How long the bridge waits for the target agent to connect before answering DeliveryTimedOut.</summary>
    public int DeliveryTimeoutSeconds { get; init; } = 60;
    /// <summary>How long the bridge waits for the agent's result once delivered.</summary>
    public int ExecutionTimeoutSeconds { get; init; } = 300;
    /// <summary>The type-specific body, e.g. <see cref="ResetVmPassword"/>.</summary>
    public required JObject Payload { get; init; }

    [Newtonsoft.Json.JsonIgnore]
    public string RoutingKey => Topology.CommandRoutingKey(RouterId, VmId);

    public T PayloadAs<T>() => Payload.ToObject<T>(AgentJson.Serializer)
        ?? throw new InvalidOperationException($"command {CommandId} has an empty {typeof(T).Name} payload");

    public static JObject PayloadOf(object payload) => JObject.FromObject(payload, AgentJson.Serializer);
}

/// <summary>The values of <see cref="AgentCommand.Type"/>.</summary>
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
