namespace Agents.Contracts;

/// <summary>Names of the exchanges and queues every component agrees on (broker-config/definitions.json declares them).</summary>
public static class Topology
{
    /// <summary>CloudStack's event bus: durable topic, routing key source.category.type.resourceType.resourceUuid.</summary>
    public const string EventsExchange = "cloudstack-events";

    /// <summary>Commands for agents and routers: topic, routing key <c>router.{routerId}.vm.{vmId}</c> or <c>router.{routerId}.self</c>.</summary>
    public const string CommandsExchange = "agents.commands";

    /// <summary>Alternate exchange of agents.commands: a command no bridge is bound for lands in <see cref="UnroutableQueue"/>.</summary>
    public const string UnroutableExchange = "agents.unroutable";
    public const string UnroutableQueue = "agents.unroutable";

    /// <summary>Dead letters: poison messages and commands past their TTL or delivery limit.</summary>
    public const string DeadLetterExchange = "agents.dead";
    public const string DeadLetterQueue = "agents.dead";

    /// <summary>Request/response queue of the certificate authority (AMQP reply_to + correlation_id).</summary>
    public const string CaRequestsQueue = "ca.requests";

    /// <summary>The quorum queue a router's bridge consumes.</summary>
    public static string RouterQueue(string routerId) => $"agents.router.{routerId}";

    /// <summary>Binding of a router's queue: every command for that router and the VMs behind it.</summary>
    public static string RouterBinding(string routerId) => $"router.{routerId}.#";

    /// <summary>Routing key of a command for a VM behind a router, or for the router itself when <paramref name="vmId"/> is null.</summary>
    public static string CommandRoutingKey(string routerId, string? vmId) =>
        vmId is null ? $"router.{routerId}.self" : $"router.{routerId}.vm.{vmId}";

    /// <summary>An <see cref="Commands.AgentCommandBatch"/> for VMs behind one router: its router's queue takes it.</summary>
    public static string CommandBatchRoutingKey(string routerId) => $"router.{routerId}.batch";
}
