using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.SessionAffinity;

namespace Agents.Front;

/// <summary>
/// YARP's routes and cluster from <see cref="FrontOptions"/>: every path goes to the API instances in
/// turn, unchanged (the CloudStack API, its session cookies, the console). The console's pages keep
/// a browser on the instance that rendered its form (an affinity cookie): a form's anti-forgery token
/// is sealed with that instance's keys. The API itself needs no affinity: sessions are in the database.
/// </summary>
public static class FrontProxyConfig
{
    public const string ClusterId = "api";
    public const string ConsoleCluster = "console";
    public const string AffinityCookie = "agents-front-instance";

    public static IReadOnlyList<RouteConfig> Routes() =>
    [
        new RouteConfig { RouteId = "console", ClusterId = ConsoleCluster, Match = new RouteMatch { Path = "/console/{**rest}" } },
        new RouteConfig { RouteId = "api", ClusterId = ClusterId, Match = new RouteMatch { Path = "/{**rest}" } },
    ];

    public static IReadOnlyList<ClusterConfig> Clusters(FrontOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var destinations = options.Backends
            .Select((url, i) => (Id: "api-" + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), Url: url))
            .ToDictionary(d => d.Id, d => new DestinationConfig { Address = d.Url }, StringComparer.Ordinal);
        var health = new HealthCheckConfig
        {
            Active = new ActiveHealthCheckConfig
            {
                Enabled = true,
                Interval = TimeSpan.FromSeconds(options.HealthIntervalSeconds),
                Timeout = TimeSpan.FromSeconds(options.HealthTimeoutSeconds),
                Policy = HealthCheckConstants.ActivePolicy.ConsecutiveFailures,
                Path = options.HealthPath,
            },
            // a refused connection takes the instance out at once, not only at the next probe (RetryRefused sends that request on)
            Passive = new PassiveHealthCheckConfig
            {
                Enabled = true,
                Policy = FirstFailurePolicy.PolicyName,
                ReactivationPeriod = TimeSpan.FromSeconds(options.ReactivationSeconds),
            },
        };
        var api = new ClusterConfig
        {
            ClusterId = ClusterId,
            LoadBalancingPolicy = LoadBalancingPolicies.RoundRobin,
            HealthCheck = health,
            Destinations = destinations,
        };
        var console = api with
        {
            ClusterId = ConsoleCluster,
            SessionAffinity = new SessionAffinityConfig
            {
                Enabled = true,
                Policy = SessionAffinityConstants.Policies.Cookie,
                // the instance is gone: another one renders the page again (a form posted then needs a reload)
                FailurePolicy = SessionAffinityConstants.FailurePolicies.Redistribute,
                AffinityKeyName = AffinityCookie,
                Cookie = new SessionAffinityCookieConfig { Path = "/console", HttpOnly = true, SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Strict },
            },
        };
        return [api, console];
    }
}
