using System.Net;
using Agents.Contracts;
using Agents.Messaging.Rpc;
using Agents.RouterBridge.Core.Agents;
using Agents.RouterBridge.Identity;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Agents.RouterBridge.Hosting;

/// <summary>
/// Starts the router: its own certificate first (enrolling when it has none, waiting for the CA
/// if it is not up yet), then the agent listener. Registered before the queue consumers, so no
/// command is taken before agents can be reached.
/// </summary>
public sealed class BridgeService(
    IOptions<BridgeOptions> options,
    RouterIdentity identity,
    AgentListener listener,
    ILogger<BridgeService> logger) : IHostedService, IAsyncDisposable
{
    private static readonly Backoff CaWait = new(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(15));

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await identity.EnsureAsync(cancellationToken).ConfigureAwait(false);
                break;
            }
            catch (RpcException e)
            {
                logger.LogWarning("Router {RouterId} waits for the CA (attempt {Attempt}): {Error}", options.Value.RouterId, attempt, e.Message);
                await Task.Delay(CaWait.Delay(attempt - 1), cancellationToken).ConfigureAwait(false);
            }
        }
        listener.Start();
        logger.LogInformation("Router {RouterId} bridge listening for agents on {Endpoint}", options.Value.RouterId, listener.LocalEndPoint);
    }

    public Task StopAsync(CancellationToken cancellationToken) => listener.DisposeAsync().AsTask();

    public ValueTask DisposeAsync() => listener.DisposeAsync();

    public static AgentListenerOptions ListenerOptions(BridgeOptions options, AgentTls tls) => new()
    {
        Address = IPAddress.Parse(options.ListenAddress),
        Port = options.ListenPort,
        EnrollmentRateLimit = options.EnrollmentRateLimit,
        Strict = () => tls.Strict,
    };
}
