using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace Agents.Front;

/// <summary>
/// Passive health: the first request an instance refused (it could not even be connected to) takes
/// it out of the rotation for Front:ReactivationSeconds, without waiting for YARP's failure rate
/// over a window or the next active probe. A request that reached the instance and failed there
/// says nothing about the instance being gone.
/// </summary>
public sealed class FirstFailurePolicy(IDestinationHealthUpdater health, IOptions<FrontOptions> options, ILogger<FirstFailurePolicy> logger) : IPassiveHealthCheckPolicy
{
    public const string PolicyName = "FirstFailure";

    public string Name => PolicyName;

    public void RequestProxied(HttpContext context, ClusterState cluster, DestinationState destination)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(destination);
        if (!RefusedConnection.NeverReached(context.GetForwarderErrorFeature())) return;
        if (destination.Health.Passive != DestinationHealth.Unhealthy)
            logger.LogWarning("API instance {Destination} ({Address}) refused a connection: out of the rotation for {Seconds} s",
                destination.DestinationId, destination.Model.Config.Address, options.Value.ReactivationSeconds);
        health.SetPassive(cluster, destination, DestinationHealth.Unhealthy, TimeSpan.FromSeconds(options.Value.ReactivationSeconds));
    }
}
