using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Serilog;
using Serilog.Events;

namespace Agents.Messaging.Logging;

/// <summary>
/// One line per HTTP request (Serilog.AspNetCore): method, path without its query string (the
/// CloudStack API carries keys and signatures there), status and time. Health probes are
/// logged at Verbose, so a probe every few seconds does not fill the log.
/// </summary>
public static class AgentsRequestLogging
{
    public static IApplicationBuilder UseAgentsRequestLogging(this IApplicationBuilder app) =>
        app.UseSerilogRequestLogging(o =>
        {
            // the service's own logger (AddAgentsSerilog registers it), not Serilog's static Log.Logger, which stays silent
            o.Logger = app.ApplicationServices.GetRequiredService<Serilog.ILogger>();
            o.MessageTemplate = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0} ms";
            o.GetLevel = (context, _, error) =>
                error is not null || context.Response.StatusCode >= StatusCodes.Status500InternalServerError ? LogEventLevel.Error
                : context.Request.Path.StartsWithSegments("/health", StringComparison.Ordinal) ? LogEventLevel.Verbose
                : LogEventLevel.Information;
        });
}
