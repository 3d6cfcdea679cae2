using Agents.CaAuthority.Options;
using Agents.Messaging.Logging;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

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
        builder.Services.AddCaAuthority(builder.Configuration);
        builder.WebHost.UseUrls(builder.Configuration[$"{CaOptions.Section}:{nameof(CaOptions.HttpUrl)}"] ?? new CaOptions().HttpUrl);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
        var app = builder.Build();
        app.MapCaEndpoints();
        return app;
    }
}
