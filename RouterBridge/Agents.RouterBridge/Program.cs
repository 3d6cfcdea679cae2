using Agents.Contracts;
using Agents.Messaging;
using Agents.Messaging.Logging;
using Agents.RouterBridge;
using Agents.RouterBridge.Audit;
using Agents.RouterBridge.Commands;
using Agents.RouterBridge.Core.Agents;
using Agents.RouterBridge.Enrollment;
using Agents.RouterBridge.Health;
using Agents.RouterBridge.Hosting;
using Agents.RouterBridge.Identity;
using Agents.RouterBridge.Presence;
using Agents.RouterBridge.Revocation;
using Agents.RouterBridge.Settings;
using Agents.VmAgent.Core.Logging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

var builder = Host.CreateApplicationBuilder(args);
builder.Logging.AddAgentsSerilog(builder.Configuration, "bridge");
builder.Services.AddOptions<BridgeOptions>()
    .Bind(builder.Configuration.GetSection(BridgeOptions.Section))
    .ValidateDataAnnotations()
    .ValidateOnStart();
builder.Services.AddRabbitMqMessaging(builder.Configuration);

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<IAgentLog, SerilogAgentLog>();
builder.Services.AddSingleton<RouterIdentity>();
builder.Services.AddSingleton<AgentTls>();
builder.Services.AddSingleton<AgentRegistry>();
builder.Services.AddSingleton<IEnrollmentRelay, BusEnrollmentRelay>();
builder.Services.AddSingleton(sp =>
{
    var tls = sp.GetRequiredService<AgentTls>();
    return new AgentListener(
        BridgeService.ListenerOptions(sp.GetRequiredService<IOptions<BridgeOptions>>().Value),
        tls.ServerOptions(), tls.Authorize,
        sp.GetRequiredService<IEnrollmentRelay>(), sp.GetRequiredService<AgentRegistry>(), sp.GetRequiredService<IAgentLog>());
});
builder.Services.AddSingleton<BasicHealthChecks>();
builder.Services.AddSingleton<ScriptHealthChecks>();
builder.Services.AddSingleton<HealthCheckRunner>();
builder.Services.AddSingleton<RouterCommandRunner>();

// order matters: the router's certificate and listener before any command is taken
builder.Services.AddHostedService<BridgeService>();
builder.Services.AddHostedService<PresencePublisher>();
builder.Services.AddHostedService<ConnectionRefusalPublisher>();
builder.Services.AddSingleton<BridgeSchedules>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<BridgeSchedules>());
var routerId = builder.Configuration[$"{BridgeOptions.Section}:RouterId"] ?? "";
builder.Services.AddQueueConsumer<RevocationWatcher>(RevocationWatcher.QueueFor(routerId), RevocationWatcher.Declare(routerId));
builder.Services.AddQueueConsumer<SettingsWatcher>(SettingsWatcher.QueueFor(routerId), SettingsWatcher.Declare(routerId));
builder.Services.AddQueueConsumer<CommandRelayHandler>(Topology.RouterQueue(routerId),
    MessagingServiceCollectionExtensions.QuorumQueue(Topology.RouterQueue(routerId), Topology.CommandsExchange, Topology.RouterBinding(routerId)));

await builder.Build().RunAsync();
