using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Agents.Messaging.Telemetry;

/// <summary>
/// OpenTelemetry for every service: the meters and activity sources named <c>Agents.*</c> (each
/// service's own, and the messaging kit's), ASP.NET Core and the .NET runtime; metrics on a
/// Prometheus scrape endpoint (<see cref="MetricsPath"/>), and both metrics and traces to an OTLP
/// collector only when one is configured (<c>Telemetry:Otlp:Endpoint</c> or the standard
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>). Traces are recorded even without an exporter: their ids
/// are what ties the services' log lines of one command together.
/// </summary>
public static class AgentsTelemetry
{
    public const string MetricsPath = "/metrics";
    private const string AgentsNames = "Agents.*";

    public static IServiceCollection AddAgentsTelemetry(this IServiceCollection services, IConfiguration configuration, string serviceName,
        params string[] librarySources)
    {
        services.AddOptions<TelemetryOptions>().Bind(configuration.GetSection(TelemetryOptions.Section))
            .Validate(o => string.IsNullOrWhiteSpace(o.Otlp.Endpoint) || Uri.TryCreate(o.Otlp.Endpoint, UriKind.Absolute, out var u) && u.Scheme is "http" or "https",
                "Telemetry:Otlp:Endpoint must be an absolute http:// or https:// URL")
            .ValidateOnStart();
        var endpoint = configuration[$"{TelemetryOptions.Section}:Otlp:Endpoint"];
        var otlp = !string.IsNullOrWhiteSpace(endpoint) || !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        // otherwise the exporter reads OTEL_EXPORTER_OTLP_* itself (and adds /v1/<signal> to the base URL for HTTP)
        void Otlp(OtlpExporterOptions o, string signal)
        {
            if (string.IsNullOrWhiteSpace(endpoint) || !Uri.TryCreate(endpoint, UriKind.Absolute, out var uri)) return;
            // an endpoint set in code is taken as the signal's full URL: the base URL the setting names gets the signal's path, as the variable would
            o.Endpoint = o.Protocol == OtlpExportProtocol.HttpProtobuf ? new Uri(uri.AbsoluteUri.TrimEnd('/') + "/v1/" + signal) : uri;
        }

        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName, serviceVersion: typeof(AgentsTelemetry).Assembly.GetName().Version?.ToString()))
            .WithTracing(t =>
            {
                t.AddSource(AgentsNames).AddSource(librarySources);
                t.AddAspNetCoreInstrumentation(o => o.Filter = context => !IsProbe(context));
                if (otlp) t.AddOtlpExporter(o => Otlp(o, "traces"));
            })
            .WithMetrics(m =>
            {
                m.AddMeter(AgentsNames).AddMeter(librarySources);
                m.AddAspNetCoreInstrumentation();
                m.AddRuntimeInstrumentation();
                m.AddPrometheusExporter();
                if (otlp) m.AddOtlpExporter(o => Otlp(o, "metrics"));
            });
        return services;
    }

    /// <summary>The Prometheus scrape endpoint, <c>GET /metrics</c>, in the text exposition format.</summary>
    public static IEndpointRouteBuilder MapAgentsMetrics(this IEndpointRouteBuilder endpoints, MeterProvider? meterProvider = null)
    {
        endpoints.MapPrometheusScrapingEndpoint(MetricsPath, meterProvider, null, null);
        return endpoints;
    }

    /// <summary>Probes and scrapes are no spans: a trace is a command's, not a monitor's.</summary>
    private static bool IsProbe(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/health", StringComparison.Ordinal) || context.Request.Path.StartsWithSegments(MetricsPath, StringComparison.Ordinal);
}
