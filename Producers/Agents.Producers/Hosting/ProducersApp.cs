using Agents.Messaging.Health;
using Agents.Messaging.Hosting;
using Agents.Messaging.Logging;
using Agents.Messaging.Telemetry;
using Agents.WebConsole.Hosting;
using Agents.Producers.Api;
using Agents.Producers.WebConsole;

namespace Agents.Producers.Hosting;

/// <summary>The API process: every setting from appsettings.json, environment (Producers__MasterKey) or --Key=Value flags.</summary>
public static class ProducersApp
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.AddAgentsSerilog(builder.Configuration, "producers");
        builder.Services.AddAgentsSystemd();
        builder.Services.AddAgentsTelemetry(builder.Configuration, "agents-api");
        builder.Services.AddAgentsProducers(builder.Configuration);
        builder.Services.AddAgentsConsole<InProcessConsoleApi>(builder.Configuration);
        var urls = builder.Configuration[$"{ProducersOptions.Section}:{nameof(ProducersOptions.ListenUrl)}"] ?? new ProducersOptions().ListenUrl;
        builder.WebHost.UseUrls(urls.Split(';', StringSplitOptions.RemoveEmptyEntries));
        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
        var app = builder.Build();
        app.UseAgentsRequestLogging();
        app.MapAgentsHealth();
        app.MapAgentsMetrics();
        app.MapCloudStackApi();
        app.MapAgentsConsole();
        return app;
    }
}
