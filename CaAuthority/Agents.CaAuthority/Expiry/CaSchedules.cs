using Agents.CaAuthority.Options;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;
using Quartz.Impl;
using Quartz.Spi;

namespace Agents.CaAuthority.Expiry;

/// <summary>The CA's periodic work on Quartz: the expiry scan every ca.framework.background.task.delay seconds.</summary>
public sealed class CaSchedules(IOptions<CaOptions> options, ExpiryScan scan, ILogger<CaSchedules> logger) : IHostedService
{
    private IScheduler? _scheduler;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var factory = new StdSchedulerFactory(new System.Collections.Specialized.NameValueCollection
        {
            // unique: Quartz keeps schedulers by name per process
            ["quartz.scheduler.instanceName"] = $"ca-{Guid.NewGuid():N}",
            ["quartz.threadPool.maxConcurrency"] = "1",
        });
        _scheduler = await factory.GetScheduler(cancellationToken).ConfigureAwait(false);
        _scheduler.JobFactory = new SingleJobFactory(new ExpiryScanJob(scan, logger));
        var delay = TimeSpan.FromSeconds(options.Value.BackgroundTaskDelaySeconds);
        await _scheduler.ScheduleJob(
            JobBuilder.Create<ExpiryScanJob>().WithIdentity(nameof(ExpiryScanJob)).Build(),
            TriggerBuilder.Create().StartAt(DateTimeOffset.UtcNow + delay)
                .WithSimpleSchedule(s => s.WithInterval(delay).RepeatForever().WithMisfireHandlingInstructionNextWithRemainingCount())
                .Build(), cancellationToken).ConfigureAwait(false);
        await _scheduler.Start(cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Expiry scan every {Delay} s (ca.framework.background.task.delay), alert period {Days} days, automatic renewal {Renewal}",
            options.Value.BackgroundTaskDelaySeconds, options.Value.ExpiryAlertPeriodDays, options.Value.AutomaticRenewal);
    }

    public Task StopAsync(CancellationToken cancellationToken) =>
        _scheduler?.Shutdown(waitForJobsToComplete: false, cancellationToken) ?? Task.CompletedTask;

    private sealed class SingleJobFactory(IJob job) : IJobFactory
    {
        public IJob NewJob(TriggerFiredBundle bundle, IScheduler scheduler) => job;

        public void ReturnJob(IJob job) { }
    }
}

[DisallowConcurrentExecution]
public sealed class ExpiryScanJob(ExpiryScan scan, ILogger logger) : IJob
{
    public async Task Execute(IJobExecutionContext context)
    {
        try
        {
            await scan.ScanAsync(DateTimeOffset.UtcNow, context.CancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Expiry scan failed; the next one runs in {Delay}", context.NextFireTimeUtc - DateTimeOffset.UtcNow);
        }
    }
}
