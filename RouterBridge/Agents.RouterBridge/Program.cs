using Agents.Messaging.Logging;
using Agents.RouterBridge.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var builder = Host.CreateApplicationBuilder(args);
builder.Logging.AddAgentsSerilog(builder.Configuration, "bridge");
builder.Services.AddRouterBridge(builder.Configuration);
await builder.Build().RunAsync();
