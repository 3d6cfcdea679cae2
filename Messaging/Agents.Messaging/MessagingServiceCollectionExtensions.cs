using Agents.Messaging.Consuming;
using Agents.Messaging.Publishing;
using Agents.Messaging.Rpc;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;

namespace Agents.Messaging;

public static class MessagingServiceCollectionExtensions
{
    /// <summary>The broker connection, the confirming publisher and the RPC client, from the <c>RabbitMq</c> section.</summary>
    public static IServiceCollection AddRabbitMqMessaging(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RabbitMqOptions>()
            .Bind(configuration.GetSection(RabbitMqOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => Uri.TryCreate(o.Uri, UriKind.Absolute, out var u) && u.Scheme is "amqp" or "amqps",
                "RabbitMq:Uri must be an absolute amqp:// or amqps:// URI")
            .ValidateOnStart();
        services.AddSingleton<BrokerConnection>();
        services.AddSingleton<ConfirmingPublisher>();
        services.AddSingleton<RpcClient>();
        return services;
    }

    /// <summary>Consumes <paramref name="queue"/> with <typeparamref name="THandler"/> while the host runs.</summary>
    /// <param name="declareTopology">Declares the queue and its bindings on every (re)connect, for queues a service owns.</param>
    public static IServiceCollection AddQueueConsumer<THandler>(this IServiceCollection services, string queue,
        Func<IChannel, CancellationToken, Task>? declareTopology = null)
        where THandler : class, IMessageHandler
    {
        services.TryAddSingleton<THandler>();
        services.AddSingleton<IHostedService>(sp => new QueueConsumerService(new QueueConsumer(
            sp.GetRequiredService<BrokerConnection>(),
            queue,
            sp.GetRequiredService<THandler>(),
            sp.GetRequiredService<ILogger<QueueConsumer>>(),
            declareTopology)));
        return services;
    }

    /// <summary>Declares a durable quorum queue bound to <paramref name="exchange"/> with <paramref name="bindings"/> (policies add the rest).</summary>
    public static Func<IChannel, CancellationToken, Task> QuorumQueue(string queue, string exchange, params string[] bindings) =>
        async (channel, ct) =>
        {
            await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false,
                arguments: new Dictionary<string, object?> { ["x-queue-type"] = "quorum" }, cancellationToken: ct).ConfigureAwait(false);
            foreach (var binding in bindings)
                await channel.QueueBindAsync(queue, exchange, binding, cancellationToken: ct).ConfigureAwait(false);
        };

    /// <summary>
    /// Declares a durable classic queue of one instance (a bridge's revocations, a service's
    /// settings) that the broker deletes after <paramref name="expires"/> unused: what is published
    /// while the instance restarts waits for it; an instance that is gone leaves nothing behind.
    /// </summary>
    public static Func<IChannel, CancellationToken, Task> ExpiringQueue(string queue, TimeSpan expires, string exchange, params string[] bindings) =>
        async (channel, ct) =>
        {
            await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false,
                arguments: ExpiryArguments(expires), cancellationToken: ct).ConfigureAwait(false);
            foreach (var binding in bindings)
                await channel.QueueBindAsync(queue, exchange, binding, cancellationToken: ct).ConfigureAwait(false);
        };

    /// <summary>The x-expires argument of <see cref="ExpiringQueue"/>, for a client (MassTransit) that declares the same queue: the same type, or the broker refuses the second declaration.</summary>
    public static Dictionary<string, object?> ExpiryArguments(TimeSpan expires) => new() { ["x-expires"] = (int)expires.TotalMilliseconds };

    /// <summary>How long an instance's own queue outlives the instance: a day.</summary>
    public static TimeSpan InstanceQueueExpiry { get; } = TimeSpan.FromHours(24);
}
