namespace Agents.Producers.Jobs;

public sealed partial class JobEngine
{
    /// <summary>
    /// This instance now runs <paramref name="jobId"/>: its owner's lease ran out at
    /// <paramref name="leaseExpired"/> (the owner died, or lost the database). What only the owner
    /// would have done is done here: its retries are scheduled again at their due times, the
    /// targets it claimed before its lease ran out are sent again as the same attempt (it may have
    /// died before publishing them; an agent answers a command id it ran or runs from its journal,
    /// and the first outcome of that attempt is the one recorded), then the job is pumped. Attempts,
    /// the error budget and a cancel request are in the store: they carry over unchanged.
    /// </summary>
    public async Task TakeOverAsync(Guid jobId, DateTimeOffset leaseExpired)
    {
        var resent = 0;
        using (await _gates.EnterAsync(jobId).ConfigureAwait(false))
        {
            var job = await store.GetAsync(jobId, CancellationToken.None).ConfigureAwait(false);
            if (job is null || job.IsDone) return;
            var targets = await store.TargetsAsync(jobId, CancellationToken.None).ConfigureAwait(false);
            foreach (var target in targets.Where(t => t.Status == TargetStatus.Retrying))
                await retries.ScheduleAsync(jobId, target.Seq, target.Attempt, target.NextAttemptAt ?? time.GetUtcNow()).ConfigureAwait(false);
            // the same attempt again: moved back one attempt as Retrying, the send makes it that attempt once more
            var claimed = await store.MoveTargetsAsync(
                [.. targets.Where(t => t.Status == TargetStatus.InProgress && t.Updated <= leaseExpired)
                    .Select(t => (t, t with { Status = TargetStatus.Retrying, Attempt = t.Attempt - 1 }))],
                CancellationToken.None).ConfigureAwait(false);
            resent = await SendAllAsync(job, claimed).ConfigureAwait(false);
        }
        logger.LogInformation("Job {JobId}: {Resent} target(s) in flight at the takeover sent again", jobId, resent);
        await PumpAsync(jobId).ConfigureAwait(false);
    }
}
