using Agents.Messaging.Scheduling;
using Agents.Messaging.Health;
using Agents.Contracts;
using Agents.Messaging;
using Agents.RouterBridge.Audit;
using Agents.RouterBridge.Commands;
using Agents.RouterBridge.Core.Agents;
using Agents.RouterBridge.Enrollment;
using Agents.RouterBridge.Health;
using Agents.RouterBridge.Identity;
using Agents.RouterBridge.Presence;
using Agents.RouterBridge.Revocation;
using Agents.RouterBridge.Settings;
using Agents.VmAgent.Core.Logging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Agents.RouterBridge.Hosting;

public static class RouterBridgeServiceCollectionExtensions
{
    /// <summary>Options, the router's identity and TLS, the agent listener, health checks, and the bus consumers of one router's bridge.</summary>
    public static IServiceCollection AddRouterBridge(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<BridgeOptions>()
            .Bind(configuration.GetSection(BridgeOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddRabbitMqMessaging(configuration);
        services.AddAgentsHealthListener(configuration)
            .AddCertificateCheck("router-certificate", sp => sp.GetRequiredService<RouterIdentity>().Certificate);

        services.AddSingleton(TimeProvider.System);
        // the agent library's executor runs the router's own commands; it logs through this seam
        services.AddSingleton<IAgentLog, SerilogAgentLog>();
        services.AddSingleton<RouterIdentity>();
        services.AddSingleton<AgentTls>();
        services.AddSingleton<AgentRegistry>();
        services.AddSingleton<IEnrollmentRelay, BusEnrollmentRelay>();
        services.AddSingleton(sp =>
        {
            var tls = sp.GetRequiredService<AgentTls>();
            return new AgentListener(
                BridgeService.ListenerOptions(sp.GetRequiredService<IOptions<BridgeOptions>>().Value, tls),
                tls.ServerOptions(), tls.Authorize,
                sp.GetRequiredService<IEnrollmentRelay>(), sp.GetRequiredService<AgentRegistry>(), sp.GetRequiredService<ILoggerFactory>());
        });
        services.AddSingleton<BasicHealthChecks>();
        services.AddSingleton<ScriptHealthChecks>();
        services.AddSingleton<HealthCheckPublisher>();
        services.AddSingleton<HealthCheckRunner>();
        services.AddSingleton<SystemVmHealthChecks>();
        services.AddSingleton<RouterCommandRunner>();
        services.AddMetrics();
        services.AddSingleton<Telemetry.BridgeMetrics>();

        // order matters: the router's certificate and listener before any command is taken
        services.AddHostedService<BridgeService>();
        services.AddHostedService<PresencePublisher>();
        services.AddHostedService<ConnectionRefusalPublisher>();
        // one instance: the settings watcher reschedules the health checks on it
        services.AddSingleton<BridgeSchedules>();
        services.AddHostedService(sp => sp.GetRequiredService<BridgeSchedules>());
        services.AddAgentsQuartz("bridge", 2);
        // the queues are named after the router: read from the configuration now (ValidateOnStart refuses an empty one)
        var routerId = configuration[$"{BridgeOptions.Section}:{nameof(BridgeOptions.RouterId)}"] ?? "";
        services.AddQueueConsumer<RevocationWatcher>(RevocationWatcher.QueueFor(routerId), RevocationWatcher.Declare(routerId));
        services.AddQueueConsumer<SettingsWatcher>(SettingsWatcher.QueueFor(routerId), SettingsWatcher.Declare(routerId));
        services.AddQueueConsumer<CommandRelayHandler>(Topology.RouterQueue(routerId),
            QueueDeclaration.Quorum(Topology.RouterQueue(routerId), Topology.CommandsExchange, Topology.RouterBinding(routerId)));
        return services;
    }
}
