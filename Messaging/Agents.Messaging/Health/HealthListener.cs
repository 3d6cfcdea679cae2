using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using Agents.Messaging.Telemetry;

namespace Agents.Messaging.Health;

/// <summary>
/// The health probes of a service that has no HTTP listener of its own (consumers, bridge): a
/// small Kestrel on <c>Health:Url</c> answering from the service's own health checks, with the
/// service's Prometheus scrape endpoint (<c>/metrics</c>) beside them.
/// </summary>
public sealed class HealthListener(IServiceProvider services, IOptions<HealthOptions> options, ILogger<HealthListener> logger) : IHostedService, IAsyncDisposable
{
    private WebApplication? _app;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var url = options.Value.Url;
        if (string.IsNullOrWhiteSpace(url)) return;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(url);
        builder.Services.AddSingleton(services.GetRequiredService<HealthCheckService>());
        _app = builder.Build();
        _app.MapAgentsHealth();
        if (services.GetService<MeterProvider>() is { } meters) _app.MapAgentsMetrics(meters);
        await _app.StartAsync(cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Health probes on {HealthUrl}{LivePath} and {ReadyPath}, metrics on {MetricsPath}", url.TrimEnd('/'), HealthEndpoints.LivePath, HealthEndpoints.ReadyPath, AgentsTelemetry.MetricsPath);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null) await _app.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync().ConfigureAwait(false);
    }
}
