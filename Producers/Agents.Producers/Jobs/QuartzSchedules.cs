using System.Diagnostics;
using Agents.Messaging.Telemetry;
using Agents.Messaging.Scheduling;
using Quartz;

namespace Agents.Producers.Jobs;

/// <summary>
/// Quartz (in memory): one-shot retries of commands after a DeliveryTimedOut, and the purge of
/// unread passwords past their TTL every minute. Retries are durable through the job store
/// (status Retrying with next_attempt_at): <see cref="JobEngine.RecoverAsync"/> schedules them again after a restart.
/// </summary>
public sealed class QuartzSchedules(IServiceProvider services, ISchedulerFactory schedulers) : IRetryScheduler, IHostedService
{
    private readonly TaskCompletionSource<IScheduler> _scheduler = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken).ConfigureAwait(false);
        await scheduler.ScheduleJob(
            JobBuilder.Create<PurgeSecretsJob>().WithIdentity("purge-secrets").Build(),
            TriggerBuilder.Create().StartNow().WithSimpleSchedule(s => s.WithIntervalInMinutes(1).RepeatForever()).Build(),
            cancellationToken).ConfigureAwait(false);
        _scheduler.TrySetResult(scheduler);
        await services.GetRequiredService<JobEngine>().RecoverAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task ScheduleAsync(Guid jobId, int seq, int afterAttempt, DateTimeOffset at)
    {
        var scheduler = await _scheduler.Task.ConfigureAwait(false);
        var key = new JobKey($"retry-{jobId}-{seq}-{afterAttempt}");
        if (await scheduler.CheckExists(key).ConfigureAwait(false)) return;
        await scheduler.ScheduleJob(
            JobBuilder.Create<RetryCommandJob>().WithIdentity(key)
                .UsingJobData("jobId", jobId.ToString()).UsingJobData("seq", seq).UsingJobData("attempt", afterAttempt)
                // the retry goes on in the command's trace (the outcome that asked for it runs in that trace)
                .UsingJobData(RetryCommandJob.TraceParentKey, MessagingTracing.TraceParentOf(Activity.Current) ?? "").Build(),
            TriggerBuilder.Create().StartAt(at).Build()).ConfigureAwait(false);
    }

    /// <summary>The scheduler is stopped by Quartz's hosted service.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
