using Agents.CaAuthority.Options;
using Agents.CaAuthority.Providers;
using Agents.Messaging;
using Agents.Messaging.Hosting;
using Agents.Messaging.Logging;
using Agents.Messaging.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Agents.CaAuthority;

/// <summary>The CA process: settings from appsettings.json, environment variables and <c>--Key=Value</c> flags; Kestrel on <c>Ca:HttpUrl</c>.</summary>
public static class CaHost
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // appsettings.json next to the dll, whatever the working directory
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.AddAgentsSerilog(builder.Configuration, "ca");
        builder.Services.AddAgentsSystemd();
        builder.Services.AddAgentsTelemetry(builder.Configuration, "agents-ca");
        builder.Services.AddCaAuthority(builder.Configuration);
        builder.WebHost.UseUrls(builder.Configuration[$"{CaOptions.Section}:{nameof(CaOptions.HttpUrl)}"] ?? new CaOptions().HttpUrl);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
        var app = builder.Build();
        // settings are checked here, before any service is built from them: a wrong one stops the
        // process with a message naming it (OptionsValidationException), not a stack trace
        _ = app.Services.GetRequiredService<IOptions<CaOptions>>().Value;
        _ = app.Services.GetRequiredService<IOptions<RabbitMqOptions>>().Value;
        // the root CA too: a missing or wrong passphrase is a setup error, reported the same way
        _ = app.Services.GetRequiredService<RootCaKeys>();
        app.UseAgentsRequestLogging();
        app.MapCaEndpoints();
        app.MapAgentsMetrics();
        return app;
    }
}
