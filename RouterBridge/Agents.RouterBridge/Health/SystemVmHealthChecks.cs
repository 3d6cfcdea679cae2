using System.Collections.Concurrent;
using Agents.Contracts;
using Agents.Contracts.Commands;
using Agents.Contracts.Protocol;
using Agents.RouterBridge.Core.Agents;
using Microsoft.Extensions.Logging;

namespace Agents.RouterBridge.Health;

/// <summary>
/// The health checks of the system VMs (SSVM, CPVM) connected here: on every scheduled round the
/// bridge asks each agent whose policy allows RunHealthChecks to run its checks, and publishes each
/// result about that VM as it does the router's (ROUTER.HEALTHCHECK ResourceStateEvent, an
/// ALERT.SYSTEMVM.HEALTH AlertEvent when a check starts failing or passes again). Results of a
/// RunHealthChecks relayed from the API (getSystemVmHealthCheckResults) are published the same way.
/// </summary>
public sealed class SystemVmHealthChecks(AgentRegistry agents, HealthCheckPublisher publisher, ILogger<SystemVmHealthChecks> logger)
{
    private static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ExecutionTimeout = TimeSpan.FromSeconds(120);
    private readonly ConcurrentDictionary<(string VmId, string Check), HealthCheckResult> _last = new();

    public async Task RunAsync(HealthCheckType type, CancellationToken ct)
    {
        foreach (var agent in agents.Snapshot().Where(a => a.Capabilities.Contains(CommandTypes.RunHealthChecks, StringComparer.Ordinal)))
        {
            var command = new CommandFrame(Guid.NewGuid(), Guid.NewGuid(), CommandTypes.RunHealthChecks,
                AgentJson.ToElement(new RunHealthChecks { CheckType = type }), (int)ExecutionTimeout.TotalSeconds);
            ResultFrame result;
            try
            {
                result = await agents.SendCommandAsync(agent.VmId, command, DeliveryTimeout, ExecutionTimeout, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                logger.LogWarning("Health checks of system VM {VmId} not run: {Error}", agent.VmId, e.Message);
                continue;
            }
            await PublishAsync(agent.VmId, result).ConfigureAwait(false);
        }
    }

    /// <summary>Publishes the results in a RunHealthChecks outcome of the system VM <paramref name="vmId"/>; anything else is left alone.</summary>
    public async Task PublishAsync(string vmId, ResultFrame result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Outcome != CommandOutcome.Success || result.Stdout is null)
        {
            logger.LogWarning("Health checks of system VM {VmId} ended {Outcome}: {Message}", vmId, result.Outcome, result.Message);
            return;
        }
        List<HealthCheckResult> checks;
        try { checks = AgentJson.Deserialize<List<HealthCheckResult>>(result.Stdout); }
        catch (InvalidMessageException e)
        {
            logger.LogWarning("Health checks of system VM {VmId} unreadable: {Error}", vmId, e.Message);
            return;
        }
        foreach (var check in checks)
        {
            var previous = _last.GetValueOrDefault((vmId, check.CheckName));
            _last[(vmId, check.CheckName)] = check;
            await publisher.PublishAsync(HealthCheckPublisher.Subject.SystemVm(vmId), check, previous).ConfigureAwait(false);
        }
    }
}
