using Agents.Messaging.Consuming;
using Agents.Messaging.Publishing;
using Agents.Messaging.Rpc;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

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
    public static IServiceCollection AddQueueConsumer<THandler>(this IServiceCollection services, string queue)
        where THandler : class, IMessageHandler
    {
        services.AddSingleton<THandler>();
        services.AddSingleton<IHostedService>(sp => new QueueConsumerService(new QueueConsumer(
            sp.GetRequiredService<BrokerConnection>(),
            queue,
            sp.GetRequiredService<THandler>(),
            sp.GetRequiredService<ILogger<QueueConsumer>>())));
        return services;
    }
}
