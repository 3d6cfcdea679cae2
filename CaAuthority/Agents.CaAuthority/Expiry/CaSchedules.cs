using Agents.CaAuthority.Options;
using Agents.Messaging.Scheduling;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;

namespace Agents.CaAuthority.Expiry;

/// <summary>The CA's periodic work on Quartz: the expiry scan every ca.framework.background.task.delay seconds.</summary>
public sealed class CaSchedules(IOptions<CaOptions> options, ISchedulerFactory schedulers, ILogger<CaSchedules> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken).ConfigureAwait(false);
        var delay = TimeSpan.FromSeconds(options.Value.BackgroundTaskDelaySeconds);
        await scheduler.EveryAsync<ExpiryScanJob>(delay, delay, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Expiry scan every {Delay} s (ca.framework.background.task.delay), alert period {Days} days, automatic renewal {Renewal}",
            options.Value.BackgroundTaskDelaySeconds, options.Value.ExpiryAlertPeriodDays, options.Value.AutomaticRenewal);
    }

    /// <summary>The scheduler is stopped by Quartz's hosted service.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

[DisallowConcurrentExecution]
public sealed class ExpiryScanJob(ExpiryScan scan, ILogger<ExpiryScanJob> logger) : IJob
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
