using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Agents.Messaging.Health;

/// <summary>
/// The two probes every service answers. <c>/health/live</c>: the process serves requests
/// (restart it when this fails). <c>/health/ready</c>: every check tagged <see cref="ReadyTag"/>
/// passes (broker connected, store open, certificate valid); 503 with the failing check named
/// otherwise. Both answer JSON: <c>{"status":"Healthy","checks":{"broker":{"status":…,"description":…}}}</c>.
/// </summary>
public static class HealthEndpoints
{
    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";
    public const string ReadyTag = "ready";

    public static IEndpointRouteBuilder MapAgentsHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(LivePath, () => Results.Json(new HealthAnswer("Healthy", new Dictionary<string, HealthCheckAnswer>())));
        endpoints.MapGet(ReadyPath, async (HealthCheckService health, CancellationToken ct) =>
        {
            var report = await health.CheckHealthAsync(r => r.Tags.Contains(ReadyTag), ct).ConfigureAwait(false);
            var checks = report.Entries.ToDictionary(e => e.Key, e => new HealthCheckAnswer(e.Value.Status.ToString(), e.Value.Description));
            return Results.Json(new HealthAnswer(report.Status.ToString(), checks),
                statusCode: report.Status == HealthStatus.Healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
        return endpoints;
    }
}

public sealed record HealthAnswer(string Status, IReadOnlyDictionary<string, HealthCheckAnswer> Checks);

public sealed record HealthCheckAnswer(string Status, string? Description);
