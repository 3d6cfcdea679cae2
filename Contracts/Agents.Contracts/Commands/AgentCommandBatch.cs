using System.Text.Json;
using System.Text.Json.Serialization;

namespace Agents.Contracts.Commands;

/// <summary>
/// Several commands of one job for VMs behind one router, in one message on <c>agents.commands</c>
/// (AMQP <c>type</c> <see cref="MessageType"/>): the bridge expands it into one
/// <see cref="AgentCommand"/> per target (<see cref="Commands"/>) and relays each to its own agent.
/// Each target keeps its own command id (the idempotency key), attempt and payload (a sealed
/// secret stays sealed to its own agent's key). A huge fan-out comes as several batches.
/// </summary>
public sealed record AgentCommandBatch
{
    /// <summary>The AMQP <c>type</c> property that tells a batch from a single command.</summary>
    public const string MessageType = "AgentCommandBatch";

    /// <summary>Targets one batch may name; a bigger one is refused by the bridge (publishers chunk).</summary>
    public const int MaxTargets = 5_000;

    /// <summary>
    /// The budget of one batch's targets in bytes (<see cref="TargetBytes"/> summed): half the
    /// broker's <c>max_message_size</c> of 1 MiB (broker-config/rabbitmq.conf), so the envelope,
    /// headers and an estimate a little short never make the broker refuse a batch.
    /// </summary>
    public const int MaxBytes = 512 * 1024;

    /// <summary>About what <paramref name="command"/> adds to a batch's body: its payload as it came, and its ids.</summary>
    public static int TargetBytes(AgentCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(command.Payload).Length + (command.VmId?.Length ?? 0) + 96;
    }

    public int SchemaVersion { get; set; } = AgentCommand.CurrentSchemaVersion;
    /// <summary>Unique per publish (AMQP message_id).</summary>
    public required Guid MessageId { get; init; }
    /// <summary>The async job every target belongs to (AMQP correlation_id).</summary>
    public required Guid JobId { get; init; }
    /// <summary>One of <see cref="CommandTypes"/>, the same for every target.</summary>
    public required string Type { get; init; }
    public required string RouterId { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public int DeliveryTimeoutSeconds { get; set; } = 60;
    public int ExecutionTimeoutSeconds { get; set; } = 300;
    public required IReadOnlyList<AgentCommandTarget> Targets { get; init; }

    [JsonIgnore]
    public string RoutingKey => Topology.CommandBatchRoutingKey(RouterId);

    /// <summary>The batch of <paramref name="commands"/> (one job, one type, one router).</summary>
    public static AgentCommandBatch Of(IReadOnlyList<AgentCommand> commands)
    {
        ArgumentNullException.ThrowIfNull(commands);
        if (commands.Count == 0) throw new ArgumentException("a batch names at least one target", nameof(commands));
        var first = commands[0];
        if (commands.Any(c => c.JobId != first.JobId || c.Type != first.Type || c.RouterId != first.RouterId || c.VmId is null))
            throw new ArgumentException("a batch is one job's commands of one type to VMs behind one router", nameof(commands));
        return new()
        {
            MessageId = Guid.NewGuid(),
            JobId = first.JobId,
            Type = first.Type,
            RouterId = first.RouterId,
            CreatedAt = first.CreatedAt,
            DeliveryTimeoutSeconds = first.DeliveryTimeoutSeconds,
            ExecutionTimeoutSeconds = first.ExecutionTimeoutSeconds,
            Targets = [.. commands.Select(c => new AgentCommandTarget { CommandId = c.CommandId, VmId = c.VmId!, Attempt = c.Attempt, Payload = c.Payload })],
        };
    }

    /// <summary>One command per target, as if each had come alone.</summary>
    public IEnumerable<AgentCommand> Commands() => Targets.Select(t => new AgentCommand
    {
        SchemaVersion = SchemaVersion,
        MessageId = MessageId,
        CommandId = t.CommandId,
        JobId = JobId,
        Type = Type,
        RouterId = RouterId,
        VmId = t.VmId,
        Attempt = t.Attempt,
        CreatedAt = CreatedAt,
        DeliveryTimeoutSeconds = DeliveryTimeoutSeconds,
        ExecutionTimeoutSeconds = ExecutionTimeoutSeconds,
        Payload = t.Payload,
    });
}

/// <summary>One target of an <see cref="AgentCommandBatch"/>: what differs between the commands of one send.</summary>
public sealed record AgentCommandTarget
{
    /// <summary>Stable across retries: the agent executes a command id at most once.</summary>
    public required Guid CommandId { get; init; }
    public required string VmId { get; init; }
    public int Attempt { get; set; } = 1;
    /// <summary>This target's own payload (its secret sealed to its own agent).</summary>
    public required JsonElement Payload { get; init; }
}
