using Agents.Messaging.Health;
using Agents.Storage;
using Agents.Storage.Audit;
using Agents.Consumers.Alerts;
using Agents.Consumers.Audit;
using Agents.Consumers.Plugins;
using Agents.Consumers.Settings;
using Agents.Messaging;
using Agents.Contracts.Events;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Agents.Contracts;

namespace Agents.Consumers;

public static class ConsumersServiceCollectionExtensions
{
    /// <summary>The audit log and the alert mailer, subscribed to cloudstack-events through MassTransit.</summary>
    public static IServiceCollection AddAgentsConsumers(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddRabbitMqMessaging(configuration);
        services.AddAgentsHealthListener(configuration);
        services.AddOptions<ConsumersOptions>().Bind(configuration.GetSection(ConsumersOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<AlertOptions>().Bind(configuration.GetSection(AlertOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SmtpOptions>().Bind(configuration.GetSection(SmtpOptions.Section)).ValidateDataAnnotations().ValidateOnStart();

        var consumers = configuration.GetSection(ConsumersOptions.Section).Get<ConsumersOptions>() ?? new ConsumersOptions();
        var alerts = configuration.GetSection(AlertOptions.Section).Get<AlertOptions>() ?? new AlertOptions();

        // SQLite: a file each; MariaDB: both in the shared database (Storage:ConnectionString)
        services.AddStorage(configuration);
        services.AddSingleton<IAuditStore>(sp => new AuditStore(sp.OpenDatabase(sp.GetRequiredService<IOptions<ConsumersOptions>>().Value.AuditDatabasePath)));
        services.AddSingleton(sp => new AlertGroupStore(sp.OpenDatabase(sp.GetRequiredService<IOptions<ConsumersOptions>>().Value.AlertDatabasePath)));
        services.AddSingleton(sp => new MailOutbox(sp.GetRequiredService<AlertGroupStore>().Database));
        services.AddSchemaMigration(AuditStore.Schema, sp => ((AuditStore)sp.GetRequiredService<IAuditStore>()).Database);
        services.AddSchemaMigration(AlertGroupStore.Schema, sp => sp.GetRequiredService<AlertGroupStore>().Database);
        services.AddSingleton<IMailSender, SmtpMailSender>();
        services.AddMetrics();
        services.AddSingleton<Telemetry.ConsumersMetrics>();
        services.AddSingleton<AlertDispatcher>();
        services.AddSingleton<AlertSettings>();

        // declared and bound by the messaging kit: MassTransit's own Bind would declare the exchange (and bind exchange
        // to exchange), which needs configure permission on cloudstack-events, and the consumers user has none by design
        // (the exchange belongs to broker-config); a queue binding needs only read on the exchange and write on the queue
        var queues = new List<QueueDeclaration> { QueueDeclaration.Quorum(consumers.AuditQueue, Topology.EventsExchange, [.. consumers.EffectiveAuditBindings]) };
        var settingsQueue = QueueDeclaration.Expiring(AlertSettingsConsumer.QueueFor(consumers.InstanceName), QueueDeclaration.InstanceQueueExpiry,
            Topology.EventsExchange, ConfigurationChanged.Binding);
        if (alerts.Enabled)
        {
            queues.Add(QueueDeclaration.Quorum(consumers.AlertQueue, Topology.EventsExchange, [.. alerts.Rules.SelectMany(r => r.Bindings()).Distinct(StringComparer.Ordinal)]));
            queues.Add(settingsQueue);
        }
        var plugins = EventPlugins.Load(consumers.Plugins);
        queues.AddRange(plugins.Select(p => QueueDeclaration.Quorum(p.Queue, Topology.EventsExchange, [.. p.Bindings])));
        // before MassTransit's hosted service: the queues must be bound when it starts consuming
        services.AddQueueDeclarations(queues);
        if (alerts.Enabled) services.AddHostedService(sp => sp.GetRequiredService<AlertDispatcher>());

        services.AddMassTransit(x =>
        {
            x.AddConsumer<AuditConsumer>();
            if (alerts.Enabled)
            {
                x.AddConsumer<AlertConsumer>();
                x.AddConsumer<AlertSettingsConsumer>();
            }
            foreach (var plugin in plugins) x.AddConsumer(plugin.Consumer);
            x.UsingRabbitMq((context, cfg) =>
            {
                var rabbit = context.GetRequiredService<IOptions<RabbitMqOptions>>().Value;
                var o = context.GetRequiredService<IOptions<ConsumersOptions>>().Value;
                ConfigureHost(cfg, rabbit);
                // MassTransit's own temporary queue must fall under the consumers user's permissions
                cfg.OverrideDefaultBusEndpointQueueName($"consumers.bus-{Environment.MachineName.ToLowerInvariant()}-{Guid.NewGuid():N}");
                // CloudStack bodies are plain JSON objects, not MassTransit envelopes
                cfg.ClearSerialization();
                cfg.UseRawJsonSerializer(RawSerializerOptions.AnyMessageType, isDefault: true);
                cfg.UseRawJsonDeserializer(RawSerializerOptions.AnyMessageType, isDefault: true);
                cfg.ReceiveEndpoint(o.AuditQueue, e =>
                {
                    Endpoint(e, o);
                    e.ConfigureConsumer<AuditConsumer>(context);
                });
                foreach (var plugin in plugins)
                    cfg.ReceiveEndpoint(plugin.Queue, e =>
                    {
                        Endpoint(e, o);
                        e.ConfigureConsumer(context, plugin.Consumer);
                    });
                if (alerts.Enabled)
                {
                    cfg.ReceiveEndpoint(o.AlertQueue, e =>
                    {
                        Endpoint(e, o);
                        e.ConfigureConsumer<AlertConsumer>(context);
                    });
                    cfg.ReceiveEndpoint(settingsQueue.Name, e =>
                    {
                        // a classic queue of this instance's own, declared by the kit (AddQueueDeclarations) with the same arguments
                        e.ConfigureConsumeTopology = false;
                        e.PublishFaults = false;
                        foreach (var (name, value) in QueueDeclaration.ExpiryArguments(QueueDeclaration.InstanceQueueExpiry)) e.SetQueueArgument(name, value);
                        e.PrefetchCount = 16;
                        e.UseMessageRetry(r => r.None());
                        e.ConfigureConsumer<AlertSettingsConsumer>(context);
                    });
                }
            });
        });
        return services;
    }

    private static void Endpoint(IRabbitMqReceiveEndpointConfigurator e, ConsumersOptions o)
    {
        // the kit bound the queue (AddQueueDeclarations); no message-type exchanges, no faults published
        e.ConfigureConsumeTopology = false;
        e.PublishFaults = false;
        e.SetQuorumQueue();
        e.PrefetchCount = o.PrefetchCount;
        e.UseMessageRetry(r =>
        {
            // an event that cannot be read now never will be: straight to the _error queue
            r.Ignore<FormatException>();
            r.Ignore<Contracts.Events.InvalidEventException>();
            r.Exponential(o.RetryLimit, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(500));
        });
    }

    private static void ConfigureHost(IRabbitMqBusFactoryConfigurator cfg, RabbitMqOptions rabbit)
    {
        var uri = new Uri(rabbit.Uri);
        var path = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        var virtualHost = path.Length == 0 ? "/" : path;
        var port = uri.IsDefaultPort || uri.Port <= 0 ? (uri.Scheme == "amqps" ? 5671 : 5672) : uri.Port;
        var userInfo = uri.UserInfo.Split(':', 2);
        cfg.Host(uri.Host, (ushort)port, virtualHost, rabbit.ConnectionName, h =>
        {
            if (userInfo[0].Length > 0) h.Username(Uri.UnescapeDataString(userInfo[0]));
            if (userInfo.Length > 1) h.Password(Uri.UnescapeDataString(userInfo[1]));
            h.Heartbeat(TimeSpan.FromSeconds(15));
            if (uri.Scheme == "amqps") h.UseSsl(s => s.ServerName = uri.Host);
        });
    }
}
