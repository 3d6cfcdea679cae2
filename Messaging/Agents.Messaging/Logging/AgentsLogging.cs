using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace Agents.Messaging.Logging;

/// <summary>
/// Serilog for every service, registered through Serilog.Extensions.Hosting (which also gives
/// ASP.NET Core's request logging its DiagnosticContext): structured console output, and a
/// compact JSON (CLEF) file per service in <c>Logging:Directory</c> when set (the demo gathers
/// every service's log in one folder). Settings in the <c>Serilog</c> section override the defaults.
/// </summary>
public static class AgentsLogging
{
    public static ILoggingBuilder AddAgentsSerilog(this ILoggingBuilder logging, IConfiguration configuration, string serviceName)
    {
        var config = new LoggerConfiguration()
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("Quartz", LogEventLevel.Warning)
            .MinimumLevel.Override("MassTransit", LogEventLevel.Warning)
            .Enrich.FromLogContext()
            .Enrich.WithProperty("Service", serviceName)
            .WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss.fff} {Level:u3}] {Service}: {Message:lj}{NewLine}{Exception}")
            .ReadFrom.Configuration(configuration);
        var directory = configuration["Logging:Directory"];
        if (!string.IsNullOrWhiteSpace(directory))
            config = config.WriteTo.File(new CompactJsonFormatter(), Path.Combine(directory, $"{serviceName}.log.json"));
        logging.ClearProviders();
        logging.Services.AddSerilog(config.CreateLogger(), dispose: true);
        return logging;
    }
}
