using Agents.Messaging.Consuming;
using Agents.Messaging.Internal;
using Agents.Messaging.Rpc;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Agents.Messaging;

/// <summary>
/// The messaging kit's public surface: a service depends on <see cref="IEventPublisher"/>,
/// <see cref="ICommandSender"/>, <see cref="IRequestClient"/> and <see cref="IBrokerStatus"/>, and
/// consumes with an <see cref="IMessageHandler"/> or answers with an <see cref="IRequestHandler"/>.
/// The connection, the confirming channel pool and the topology declarations behind them are
/// under <c>Internal/</c>.
/// </summary>
public static class MessagingServiceCollectionExtensions
{
    /// <summary>The broker connection, the confirming publisher and the RPC client, from the <c>RabbitMq</c> section.</summary>
    public static IServiceCollection AddRabbitMqMessaging(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return services.AddRabbitMqMessaging(options => options.Bind(configuration.GetSection(RabbitMqOptions.Section)));
    }

    /// <summary>The same, with the options set in code (a tool, a benchmark or a test that talks to a broker without a host).</summary>
    public static IServiceCollection AddRabbitMqMessaging(this IServiceCollection services, Action<RabbitMqOptions> configure) =>
        services.AddRabbitMqMessaging(options => options.Configure(configure));

    private static IServiceCollection AddRabbitMqMessaging(this IServiceCollection services, Action<OptionsBuilder<RabbitMqOptions>> bind)
    {
        var options = services.AddOptions<RabbitMqOptions>();
        bind(options);
        options.ValidateDataAnnotations()
            .Validate(o => Uri.TryCreate(o.Uri, UriKind.Absolute, out var u) && u.Scheme is "amqp" or "amqps",
                "RabbitMq:Uri must be an absolute amqp:// or amqps:// URI")
            .ValidateOnStart();
        services.TryAddSingleton<BrokerConnection>();
        services.TryAddSingleton<IBrokerStatus>(sp => sp.GetRequiredService<BrokerConnection>());
        services.TryAddSingleton<ConfirmingPublisher>();
        services.TryAddSingleton<BusPublisher>();
        services.TryAddSingleton<IEventPublisher>(sp => sp.GetRequiredService<BusPublisher>());
        services.TryAddSingleton<ICommandSender>(sp => sp.GetRequiredService<BusPublisher>());
        services.TryAddSingleton<RpcClient>();
        services.TryAddSingleton<IRequestClient>(sp => sp.GetRequiredService<RpcClient>());
        return services;
    }

    /// <summary>Consumes <paramref name="queue"/> with <typeparamref name="THandler"/> while the host runs.</summary>
    /// <param name="declaration">Declared on every (re)connect, for queues a service owns.</param>
    public static IServiceCollection AddQueueConsumer<THandler>(this IServiceCollection services, string queue, QueueDeclaration? declaration = null)
        where THandler : class, IMessageHandler
    {
        services.TryAddSingleton<THandler>();
        return services.AddConsumer(queue, sp => sp.GetRequiredService<THandler>(), declaration);
    }

    /// <summary>Answers the requests of <paramref name="queue"/> with <typeparamref name="THandler"/> while the host runs.</summary>
    /// <param name="declaration">Declared on every (re)connect, for queues a service owns.</param>
    public static IServiceCollection AddRequestServer<THandler>(this IServiceCollection services, string queue, QueueDeclaration? declaration = null)
        where THandler : class, IRequestHandler
    {
        services.TryAddSingleton<THandler>();
        return services.AddConsumer(queue, sp => new RpcServer(sp.GetRequiredService<THandler>(), sp.GetRequiredService<ConfirmingPublisher>()), declaration);
    }

    /// <summary>
    /// Declares <paramref name="queues"/> and their bindings once when the host starts, before the
    /// hosted services registered after this call: for queues another client (MassTransit) consumes.
    /// </summary>
    public static IServiceCollection AddQueueDeclarations(this IServiceCollection services, IReadOnlyList<QueueDeclaration> queues) =>
        services.AddSingleton<IHostedService>(sp => new QueueDeclarer(sp.GetRequiredService<BrokerConnection>(), queues, sp.GetRequiredService<ILogger<QueueDeclarer>>()));

    private static IServiceCollection AddConsumer(this IServiceCollection services, string queue, Func<IServiceProvider, IMessageHandler> handler, QueueDeclaration? declaration) =>
        services.AddSingleton<IHostedService>(sp => new QueueConsumerService(new QueueConsumer(
            sp.GetRequiredService<BrokerConnection>(),
            queue,
            handler(sp),
            sp.GetRequiredService<ILogger<QueueConsumer>>(),
            declaration)));
}
