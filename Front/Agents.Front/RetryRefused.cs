using Yarp.ReverseProxy.Model;

namespace Agents.Front;

/// <summary>
/// The front's retry, first in the proxy pipeline (before affinity and balancing): a request that an
/// instance refused, so that none of it reached the instance, goes to another instance, each
/// instance tried at most once. A request that reached an instance is never sent again: a
/// CloudStack GET may change state (resetPasswordForVirtualMachine), so only the requests in flight
/// on an instance that dies fail.
/// </summary>
public sealed class RetryRefused(ILogger<RetryRefused> logger)
{
    public async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var proxy = context.GetReverseProxyFeature();
        // the balancer narrows the list to its pick: keep the whole list for the next try
        var candidates = proxy.AvailableDestinations;
        var tried = new HashSet<DestinationState>();
        // a body is sent again from the start: keep it replayable (small API posts; large ones spill to a file)
        context.Request.EnableBuffering();
        while (true)
        {
            await next().ConfigureAwait(false);
            var error = context.GetForwarderErrorFeature();
            if (context.Response.HasStarted || !RefusedConnection.NeverReached(error) || proxy.ProxiedDestination is not { } refused) return;
            tried.Add(refused);
            var left = candidates.Where(d => !tried.Contains(d)).ToList();
            if (left.Count == 0) return;
            logger.LogWarning("{Method} {Path} refused by {Destination}: sent to another instance", context.Request.Method, context.Request.Path, refused.DestinationId);
            proxy.AvailableDestinations = left;
            context.Features.Set<Yarp.ReverseProxy.Forwarder.IForwarderErrorFeature>(null);
            context.Response.StatusCode = StatusCodes.Status200OK;
            if (context.Request.Body.CanSeek) context.Request.Body.Position = 0;
        }
    }
}
