using Agents.Messaging.Hosting;
using Agents.Messaging.Logging;
using Agents.Messaging.Telemetry;
using Agents.RouterBridge.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

if (ServiceCommandLine.Handle("agents-bridge", "the router bridge: the agents of one router over mutual TLS, relayed to and from the broker", args) is { } exit)
    return exit;
var builder = Host.CreateApplicationBuilder(args);
builder.Logging.AddAgentsSerilog(builder.Configuration, "bridge");
builder.Services.AddAgentsSystemd();
builder.Services.AddAgentsTelemetry(builder.Configuration, "agents-bridge");
builder.Services.AddRouterBridge(builder.Configuration);
await builder.Build().RunAsync();
return 0;
