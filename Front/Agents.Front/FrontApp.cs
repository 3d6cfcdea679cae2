using System.ComponentModel.DataAnnotations;
using Agents.Messaging.Hosting;
using Agents.Messaging.Logging;
using Microsoft.Extensions.Options;

namespace Agents.Front;

/// <summary>The front process: settings from appsettings.json, environment (Front__Listen, Front__Backends__0) and the command line.</summary>
public static class FrontApp
{
    public static WebApplication Build(string[] settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = settings, ContentRootPath = AppContext.BaseDirectory });
        var options = builder.Configuration.GetSection(FrontOptions.Section).Get<FrontOptions>() ?? new FrontOptions();
        var failures = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), failures, validateAllProperties: true))
            throw new OptionsValidationException(FrontOptions.Section, typeof(FrontOptions), failures.Select(f => f.ErrorMessage ?? "invalid"));
        builder.Logging.AddAgentsSerilog(builder.Configuration, "front");
        builder.Services.AddAgentsSystemd();
        builder.Services.AddReverseProxy().LoadFromMemory(FrontProxyConfig.Routes(), FrontProxyConfig.Clusters(options));
        builder.Services.AddSingleton(Options.Create(options));
        builder.Services.AddSingleton<Yarp.ReverseProxy.Health.IPassiveHealthCheckPolicy, FirstFailurePolicy>();
        builder.Services.AddSingleton<RetryRefused>();
        builder.WebHost.UseUrls(options.Listen.Split(';', StringSplitOptions.RemoveEmptyEntries));
        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
        var app = builder.Build();
        app.UseAgentsRequestLogging();
        var retry = app.Services.GetRequiredService<RetryRefused>();
        app.MapReverseProxy(pipeline =>
        {
            pipeline.Use((context, next) => retry.InvokeAsync(context, next));
            pipeline.UseSessionAffinity();
            pipeline.UseLoadBalancing();
            pipeline.UsePassiveHealthChecks();
        });
        app.Logger.LogInformation("Front on {Listen} for {Backends}, probing {HealthPath} every {Interval} s",
            options.Listen, string.Join(", ", options.Backends), options.HealthPath, options.HealthIntervalSeconds);
        return app;
    }
}
