using Agents.RouterBridge.Health;
using Agents.RouterBridge.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;
using Quartz.Impl;
using Quartz.Spi;

namespace Agents.RouterBridge.Hosting;

/// <summary>The router's periodic work on Quartz: basic and advanced health checks, the CRL, and renewal of its own certificate.</summary>
public sealed class BridgeSchedules(IOptions<BridgeOptions> options, IServiceProvider services, ILogger<BridgeSchedules> logger) : IHostedService
{
    private IScheduler? _scheduler;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var factory = new StdSchedulerFactory(new System.Collections.Specialized.NameValueCollection
        {
            ["quartz.scheduler.instanceName"] = $"bridge-{options.Value.RouterId}",
            ["quartz.threadPool.maxConcurrency"] = "2",
        });
        _scheduler = await factory.GetScheduler(cancellationToken).ConfigureAwait(false);
        _scheduler.JobFactory = new ServiceJobFactory(services);
        var health = options.Value.HealthChecks;
        if (health.Enabled)
        {
            await Every<BasicHealthJob>(TimeSpan.FromMinutes(health.BasicIntervalMinutes), TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
            await Every<AdvancedHealthJob>(TimeSpan.FromMinutes(health.AdvancedIntervalMinutes), TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
        }
        if (options.Value.CrlUrl is not null)
            await Every<Revocation.CrlRefreshJob>(TimeSpan.FromSeconds(options.Value.CrlRefreshSeconds), TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
        await Every<RenewalJob>(TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(1), cancellationToken).ConfigureAwait(false);
        await _scheduler.Start(cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Health checks every {Basic} / {Advanced} min (basic / advanced), enabled: {Enabled}",
            health.BasicIntervalMinutes, health.AdvancedIntervalMinutes, health.Enabled);
    }

    private Task Every<TJob>(TimeSpan interval, TimeSpan firstAfter, CancellationToken ct) where TJob : IJob =>
        _scheduler!.ScheduleJob(
            JobBuilder.Create<TJob>().WithIdentity(typeof(TJob).Name).Build(),
            TriggerBuilder.Create().StartAt(DateTimeOffset.UtcNow + firstAfter)
                .WithSimpleSchedule(s => s.WithInterval(interval).RepeatForever().WithMisfireHandlingInstructionNextWithRemainingCount())
                .Build(), ct);

    public Task StopAsync(CancellationToken cancellationToken) =>
        _scheduler?.Shutdown(waitForJobsToComplete: false, cancellationToken) ?? Task.CompletedTask;

    private sealed class ServiceJobFactory(IServiceProvider services) : IJobFactory
    {
        public IJob NewJob(TriggerFiredBundle bundle, IScheduler scheduler) =>
            (IJob)ActivatorUtilities.CreateInstance(services, bundle.JobDetail.JobType);

        public void ReturnJob(IJob job) { }
    }
}

[DisallowConcurrentExecution]
public sealed class BasicHealthJob(HealthCheckRunner runner) : IJob
{
    public Task Execute(IJobExecutionContext context) => runner.RunAsync(HealthCheckType.Basic, context.CancellationToken);
}

[DisallowConcurrentExecution]
public sealed class AdvancedHealthJob(HealthCheckRunner runner) : IJob
{
    public Task Execute(IJobExecutionContext context) => runner.RunAsync(HealthCheckType.Advanced, context.CancellationToken);
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
