using Agents.Contracts.Commands;
using Agents.Messaging.Scheduling;
using Agents.RouterBridge.Health;
using Agents.RouterBridge.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;

namespace Agents.RouterBridge.Hosting;

/// <summary>The router's periodic work on Quartz: basic and advanced health checks, the CRL, and renewal of its own certificate.</summary>
public sealed class BridgeSchedules(IOptions<BridgeOptions> options, ISchedulerFactory schedulers, ILogger<BridgeSchedules> logger) : IHostedService
{
    private IScheduler? _scheduler;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _scheduler = await schedulers.GetScheduler(cancellationToken).ConfigureAwait(false);
        var health = options.Value.HealthChecks;
        await ScheduleHealthChecksAsync(_scheduler, cancellationToken).ConfigureAwait(false);
        if (options.Value.CrlUrl is not null)
            await _scheduler.EveryAsync<Revocation.CrlRefreshJob>(TimeSpan.FromSeconds(options.Value.CrlRefreshSeconds), TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
        await _scheduler.EveryAsync<RenewalJob>(TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(1), cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Health checks every {Basic} / {Advanced} min (basic / advanced), enabled: {Enabled}",
            health.BasicIntervalMinutes, health.AdvancedIntervalMinutes, health.Enabled);
    }

    /// <summary>After router.health.checks.* changed: the health jobs again, with the options' current intervals (none when disabled or 0).</summary>
    public async Task RescheduleHealthChecksAsync(CancellationToken ct)
    {
        if (_scheduler is null) return;
        await _scheduler.DeleteJob(new JobKey(nameof(BasicHealthJob)), ct).ConfigureAwait(false);
        await _scheduler.DeleteJob(new JobKey(nameof(AdvancedHealthJob)), ct).ConfigureAwait(false);
        await ScheduleHealthChecksAsync(_scheduler, ct).ConfigureAwait(false);
        var health = options.Value.HealthChecks;
        logger.LogInformation("Health checks now every {Basic} / {Advanced} min (basic / advanced), enabled: {Enabled}",
            health.BasicIntervalMinutes, health.AdvancedIntervalMinutes, health.Enabled);
    }

    private async Task ScheduleHealthChecksAsync(IScheduler scheduler, CancellationToken ct)
    {
        var health = options.Value.HealthChecks;
        if (!health.Enabled) return;
        if (health.BasicIntervalMinutes > 0)
            await scheduler.EveryAsync<BasicHealthJob>(TimeSpan.FromMinutes(health.BasicIntervalMinutes), TimeSpan.FromSeconds(5), ct).ConfigureAwait(false);
        if (health.AdvancedIntervalMinutes > 0)
            await scheduler.EveryAsync<AdvancedHealthJob>(TimeSpan.FromMinutes(health.AdvancedIntervalMinutes), TimeSpan.FromSeconds(10), ct).ConfigureAwait(false);
    }

    /// <summary>The scheduler is stopped by Quartz's hosted service.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>The router's basic checks, then those of the system VMs connected here.</summary>
[DisallowConcurrentExecution]
public sealed class BasicHealthJob(HealthCheckRunner runner, SystemVmHealthChecks systemVms) : IJob
{
    public async Task Execute(IJobExecutionContext context)
    {
        await runner.RunAsync(HealthCheckType.Basic, context.CancellationToken).ConfigureAwait(false);
        await systemVms.RunAsync(HealthCheckType.Basic, context.CancellationToken).ConfigureAwait(false);
    }
}

/// <summary>The router's advanced checks, then those of the system VMs connected here.</summary>
[DisallowConcurrentExecution]
public sealed class AdvancedHealthJob(HealthCheckRunner runner, SystemVmHealthChecks systemVms) : IJob
{
    public async Task Execute(IJobExecutionContext context)
    {
        await runner.RunAsync(HealthCheckType.Advanced, context.CancellationToken).ConfigureAwait(false);
        await systemVms.RunAsync(HealthCheckType.Advanced, context.CancellationToken).ConfigureAwait(false);
    }
}

[DisallowConcurrentExecution]
public sealed class RenewalJob(RouterIdentity identity, ILogger<RenewalJob> logger) : IJob
{
    public async Task Execute(IJobExecutionContext context)
    {
        if (!identity.RenewalDue(DateTimeOffset.UtcNow)) return;
        try
        {
            await identity.RenewAsync(context.CancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("Router certificate renewal failed, will try again: {Error}", e.Message);
        }
    }
}
