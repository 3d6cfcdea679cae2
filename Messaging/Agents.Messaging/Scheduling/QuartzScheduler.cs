using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace Agents.Messaging.Scheduling;

/// <summary>
/// The one way services get their in-memory Quartz scheduler: Quartz.Extensions.Hosting, with
/// every job run built in its own DI scope (constructor injection), and a unique scheduler name,
/// because Quartz keeps schedulers by name per process (tests host several services in one).
/// </summary>
public static class QuartzScheduler
{
    /// <summary>
    /// The scheduler and the hosted service that starts and stops it. Register it after the hosted
    /// service that schedules the jobs (and after the stores' migrations): the scheduler starts,
    /// and jobs begin to fire, when the host reaches this registration.
    /// </summary>
    public static IServiceCollection AddAgentsQuartz(this IServiceCollection services, string name, int maxConcurrency)
    {
        services.AddQuartz(q =>
        {
            q.SchedulerName = $"{name}-{Guid.NewGuid():N}";
            q.UseInMemoryStore();
            q.UseDefaultThreadPool(pool => pool.MaxConcurrency = maxConcurrency);
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = false);
        return services;
    }

    /// <summary>Runs <typeparamref name="TJob"/> every <paramref name="interval"/>, the first time after <paramref name="firstAfter"/>; a missed run is skipped, not caught up.</summary>
    public static Task EveryAsync<TJob>(this IScheduler scheduler, TimeSpan interval, TimeSpan firstAfter, CancellationToken ct) where TJob : IJob
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        return scheduler.ScheduleJob(
            JobBuilder.Create<TJob>().WithIdentity(typeof(TJob).Name).Build(),
            TriggerBuilder.Create().StartAt(DateTimeOffset.UtcNow + firstAfter)
                .WithSimpleSchedule(s => s.WithInterval(interval).RepeatForever().WithMisfireHandlingInstructionNextWithRemainingCount())
                .Build(), ct);
    }
}
