namespace Agents.Testing;

/// <summary>
/// How to start one private RabbitMQ node. Every port is free by default; a cluster shares
/// <see cref="EpmdPort"/> and <see cref="HomeDirectory"/> (for the Erlang cookie) between its nodes.
/// </summary>
public sealed record RabbitMqNodeOptions
{
    public string NodeName { get; init; } = $"agents-{Guid.NewGuid().ToString("N")[..8]}@localhost";
    public int AmqpPort { get; init; } = FreePort.Next();
    public int DistPort { get; init; } = FreePort.Next();
    public int EpmdPort { get; init; } = FreePort.Next();
    public int ManagementPort { get; init; } = FreePort.Next();
    /// <summary>The folder holding rabbitmq.conf, definitions.json and enabled_plugins.</summary>
    public string BrokerConfigDirectory { get; init; } = RepositoryPaths.BrokerConfig;
    /// <summary>Where data, logs and config go; a fresh temp folder by default, removed at stop.</summary>
    public string? DataDirectory { get; init; }
    public string? HomeDirectory { get; init; }
    /// <summary>Lines appended to the generated rabbitmq.conf.</summary>
    public IReadOnlyList<string> ExtraConfig { get; init; } = [];
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(90);
}
