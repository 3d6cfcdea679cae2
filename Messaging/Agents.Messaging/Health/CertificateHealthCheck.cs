using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Agents.Messaging.Health;

/// <summary>Ready while the service's certificate exists and is within its validity.</summary>
public sealed class CertificateHealthCheck(Func<X509Certificate2?> certificate, TimeProvider time) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        X509Certificate2? current;
        try { current = certificate(); }
        catch (InvalidOperationException e) { return Task.FromResult(HealthCheckResult.Unhealthy(e.Message)); }
        if (current is null) return Task.FromResult(HealthCheckResult.Unhealthy("no certificate yet"));
        var now = time.GetUtcNow();
        if (now < current.NotBefore.ToUniversalTime()) return Task.FromResult(HealthCheckResult.Unhealthy($"certificate {current.SerialNumber} is not valid before {current.NotBefore.ToUniversalTime():O}"));
        if (now > current.NotAfter.ToUniversalTime()) return Task.FromResult(HealthCheckResult.Unhealthy($"certificate {current.SerialNumber} expired at {current.NotAfter.ToUniversalTime():O}"));
        return Task.FromResult(HealthCheckResult.Healthy($"certificate {current.SerialNumber} valid until {current.NotAfter.ToUniversalTime():O}"));
    }
}
