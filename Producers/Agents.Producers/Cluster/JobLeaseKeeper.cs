using Agents.Contracts.Events;
using Agents.Messaging;
using Agents.Producers.Jobs;

namespace Agents.Producers.Cluster;

/// <summary>
/// Every cluster.heartbeat.interval: this instance's heartbeat (its <c>mshost</c> row and the leases
/// of the jobs it runs), then the jobs whose lease ran out are taken over, each once across the
/// cluster (a conditional update), as CloudStack's management servers hand on a dead peer's jobs.
/// The silent owner is marked Down and an ALERT.MANAGEMENT alert goes out once.
/// </summary>
public sealed class JobLeaseKeeper(
    JobLeases leases, JobEngine engine, IJobStore jobs, IEventPublisher publisher, Telemetry.ProducersMetrics metrics,
    TimeProvider time, ILogger<JobLeaseKeeper> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        logger.LogInformation("Management server {Msid} ({Name}): heartbeat every {Interval} ms, job leases of {Threshold} ms",
            leases.Server.Msid, leases.Server.Name, leases.Interval.TotalMilliseconds, leases.Threshold.TotalMilliseconds);
        // two loops: the heartbeat never waits for a takeover (taking a dead peer's jobs over can take
        // minutes under load; meanwhile this instance's own leases must not run out)
        return Task.WhenAll(
            EveryIntervalAsync("Heartbeat", ct => leases.HeartbeatAsync(ct), stoppingToken),
            EveryIntervalAsync("Takeover", TakeOverExpiredAsync, stoppingToken));
    }

    private async Task EveryIntervalAsync(string what, Func<CancellationToken, Task> work, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(leases.Interval, time);
        do
        {
            try
            {
                await work(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // the database away: the leases of this instance's jobs may run out meanwhile, and another instance take them (harmless: every step is conditional)
                logger.LogWarning("{What} of management server {Msid} failed: {Error}", what, leases.Server.Msid, e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>Every expired lease taken first (one quick conditional update each), the silent owners marked Down, then the jobs' work done one by one.</summary>
    private async Task TakeOverExpiredAsync(CancellationToken ct)
    {
        var taken = new List<(JobLease Lease, Job? Job)>();
        foreach (var lease in await leases.ExpiredAsync(ct).ConfigureAwait(false))
        {
            if (!await leases.TakeAsync(lease, ct).ConfigureAwait(false)) continue;
            var job = await jobs.GetAsync(lease.JobId, ct).ConfigureAwait(false);
            logger.LogWarning("Job {JobId} ({Command}) taken over from management server {Owner} by {Msid}: its lease ran out at {Expired:O}",
                lease.JobId, job?.Command, lease.Owner ?? "(none)", leases.Server.Msid, lease.Expired);
            metrics.JobTakenOver(job?.Command ?? "unknown");
            taken.Add((lease, job));
        }
        foreach (var owner in taken.Select(t => t.Lease.Owner).OfType<string>().Distinct(StringComparer.Ordinal))
            if (await leases.MarkDownAsync(owner, ct).ConfigureAwait(false))
                await AlertAsync(owner, taken.Count(t => t.Lease.Owner == owner)).ConfigureAwait(false);
        foreach (var (lease, _) in taken)
            await engine.TakeOverAsync(lease.JobId, lease.Expired).ConfigureAwait(false);
    }

    private async Task AlertAsync(string owner, int count)
    {
        logger.LogWarning("Management server {Owner} marked Down: no heartbeat for {Threshold} ms; {Count} job(s) taken over by {Msid}",
            owner, leases.Threshold.TotalMilliseconds, count, leases.Server.Msid);
        try
        {
            await publisher.PublishAsync(new AlertRaised
            {
                MessageId = Guid.NewGuid(),
                AlertType = EventTypes.AlertManagementNode,
                Severity = AlertSeverity.Warning,
                GroupKey = $"management-server/{owner}",
                ResourceType = ResourceTypes.ManagementServer,
                ResourceUuid = owner,
                Subject = $"Management server {owner} is down",
                Body = $"Management server {owner} sent no heartbeat for {leases.Threshold.TotalSeconds:0.#} s (cluster.heartbeat.threshold). " +
                       $"Management server {leases.Server.Msid} took over its {count} running job(s).",
                RaisedAt = time.GetUtcNow(),
            }.ToEvent(), CancellationToken.None).ConfigureAwait(false);
        }
        catch (PublishFailedException e)
        {
            logger.LogWarning("ALERT.MANAGEMENT for {Owner} not published: {Error}", owner, e.Message);
        }
    }
}
