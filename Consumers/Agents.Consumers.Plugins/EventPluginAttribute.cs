namespace Agents.Consumers.Plugins;

/// <summary>
/// Marks a MassTransit consumer of <see cref="CloudStackEventMessage"/> as a plugin of the consumers
/// service: it gets its own quorum queue <c>consumers.plugin.{Name}</c>, bound to cloudstack-events
/// with <see cref="Bindings"/> (CloudStack routing-key patterns, e.g. <c>*.AsyncJobEvent.complete.#</c>),
/// and is resolved from the service's DI container (so it may take <c>IConfiguration</c> and
/// <c>ILogger&lt;T&gt;</c>). A delivery is acknowledged when the consumer returns; an exception
/// retries it, then parks it in <c>consumers.plugin.{Name}_error</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class EventPluginAttribute(string name, params string[] bindings) : Attribute
{
    /// <summary>Letters, digits and '-': the queue's last word.</summary>
    public string Name { get; } = name;

    public IReadOnlyList<string> Bindings { get; } = bindings;
}
