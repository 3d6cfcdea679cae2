using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Agents.Messaging.Health;

public static class HealthServiceCollectionExtensions
{
    /// <summary>Health checks with the broker connection as a readiness check (every service talks to the broker).</summary>
    public static IHealthChecksBuilder AddAgentsHealth(this IServiceCollection services) =>
        services.AddHealthChecks().AddCheck<BrokerHealthCheck>("broker", HealthStatus.Unhealthy, [HealthEndpoints.ReadyTag]);

    /// <summary>For the services without an HTTP listener: the probes on <c>Health:Url</c> when set.</summary>
    public static IHealthChecksBuilder AddAgentsHealthListener(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<HealthOptions>().Bind(configuration.GetSection(HealthOptions.Section))
            .Validate(o => string.IsNullOrWhiteSpace(o.Url) || Uri.TryCreate(o.Url, UriKind.Absolute, out var u) && u.Scheme is "http" or "https",
                "Health:Url must be an absolute http:// or https:// URL")
            .ValidateOnStart();
        services.AddHostedService<HealthListener>();
        return services.AddAgentsHealth();
    }

    /// <summary>A readiness check that the certificate <paramref name="certificate"/> returns is within its validity.</summary>
    public static IHealthChecksBuilder AddCertificateCheck(this IHealthChecksBuilder builder, string name, Func<IServiceProvider, X509Certificate2?> certificate) =>
        builder.Add(new HealthCheckRegistration(name, sp => new CertificateHealthCheck(() => certificate(sp), TimeProvider.System),
            HealthStatus.Unhealthy, [HealthEndpoints.ReadyTag]));
}
