using System.Collections.Specialized;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using Quartz.Impl;
using Quartz.Spi;

namespace Agents.Messaging.Scheduling;

/// <summary>
/// The one way services make their in-memory Quartz scheduler: jobs are built from the service
/// container (constructor injection), and each scheduler gets a unique name, because Quartz keeps
/// schedulers by name per process (tests host several services in one).
/// </summary>
public static class QuartzScheduler
{
    public static async Task<IScheduler> CreateAsync(string name, int maxConcurrency, IServiceProvider services, CancellationToken ct)
    {
        var factory = new StdSchedulerFactory(new NameValueCollection
        {
            ["quartz.scheduler.instanceName"] = $"{name}-{Guid.NewGuid():N}",
            ["quartz.threadPool.maxConcurrency"] = maxConcurrency.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var scheduler = await factory.GetScheduler(ct).ConfigureAwait(false);
        scheduler.JobFactory = new ServiceJobFactory(services);
        return scheduler;
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

    private sealed class ServiceJobFactory(IServiceProvider services) : IJobFactory
    {
        public IJob NewJob(TriggerFiredBundle bundle, IScheduler scheduler) =>
            (IJob)ActivatorUtilities.CreateInstance(services, bundle.JobDetail.JobType);

        public void ReturnJob(IJob job) { }
    }
}
