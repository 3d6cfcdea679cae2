using RabbitMQ.Client;

namespace Agents.Messaging;

/// <summary>
/// A queue a service declares, and its bindings to one exchange. A consumer declares its queue on
/// every (re)connect (the queue may be new, or gone with its x-expires); see
/// <see cref="MessagingServiceCollectionExtensions.AddQueueConsumer{THandler}"/> and
/// <see cref="MessagingServiceCollectionExtensions.AddQueueDeclarations"/>. The arguments are part
/// of the wire: a second declaration with other arguments is refused by the broker (406).
/// </summary>
public sealed record QueueDeclaration(string Name, string Exchange, IReadOnlyList<string> Bindings)
{
    public bool Durable { get; init; } = true;

    public bool Exclusive { get; init; }

    public bool AutoDelete { get; init; }

    public IReadOnlyDictionary<string, object?> Arguments { get; init; } = new Dictionary<string, object?>();

    /// <summary>How long an instance's own queue outlives the instance: a day.</summary>
    public static TimeSpan InstanceQueueExpiry { get; } = TimeSpan.FromHours(24);

    /// <summary>A durable quorum queue bound to <paramref name="exchange"/> with <paramref name="bindings"/> (policies add the rest).</summary>
    public static QueueDeclaration Quorum(string queue, string exchange, params string[] bindings) =>
        new(queue, exchange, bindings) { Arguments = new Dictionary<string, object?> { ["x-queue-type"] = "quorum" } };

    /// <summary>
    /// A durable classic queue of one instance (a bridge's revocations, a service's settings) that
    /// the broker deletes after <paramref name="expires"/> unused: what is published while the
    /// instance restarts waits for it; an instance that is gone leaves nothing behind.
    /// </summary>
    public static QueueDeclaration Expiring(string queue, TimeSpan expires, string exchange, params string[] bindings) =>
        new(queue, exchange, bindings) { Arguments = ExpiryArguments(expires) };

    /// <summary>The x-expires argument of <see cref="Expiring"/>, for a client (MassTransit) that declares the same queue: the same type, or the broker refuses the second declaration.</summary>
    public static Dictionary<string, object?> ExpiryArguments(TimeSpan expires) => new() { ["x-expires"] = (int)expires.TotalMilliseconds };

    internal async Task DeclareAsync(IChannel channel, CancellationToken ct)
    {
        await channel.QueueDeclareAsync(Name, Durable, Exclusive, AutoDelete, new Dictionary<string, object?>(Arguments), cancellationToken: ct).ConfigureAwait(false);
        foreach (var binding in Bindings)
            await channel.QueueBindAsync(Name, Exchange, binding, cancellationToken: ct).ConfigureAwait(false);
    }
}
