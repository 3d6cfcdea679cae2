namespace Agents.Producers.Cluster;

/// <summary>
/// The management servers' heartbeats (<c>mshost</c>) and the leases of their jobs
/// (<c>jobs.job_executing_msid</c>, <c>job_lease_expires</c>). Each change is one conditional
/// statement: two instances taking the same job at once take it once.
/// </summary>
public interface IJobLeaseStore
{
    /// <summary>
    /// Writes the heartbeat of <paramref name="server"/> (its <c>mshost</c> row, state Up) and renews the
    /// lease of every unfinished job it runs to <paramref name="until"/>; how many leases were renewed.
    /// </summary>
    Task<int> HeartbeatAsync(ManagementServer server, DateTimeOffset now, DateTimeOffset until, CancellationToken ct);

    /// <summary>
    /// Unfinished jobs run by another instance whose lease ended before <paramref name="now"/>, and
    /// those nobody owns created before <paramref name="unownedBefore"/>.
    /// </summary>
    Task<IReadOnlyList<JobLease>> ExpiredAsync(string msid, DateTimeOffset now, DateTimeOffset unownedBefore, CancellationToken ct);

    /// <summary>Takes the job over from <see cref="JobLease.Owner"/> while its lease is still the expired one: false when another instance took it first, or its owner came back.</summary>
    Task<bool> TakeAsync(JobLease lease, string msid, DateTimeOffset until, CancellationToken ct);

    /// <summary>Marks <paramref name="msid"/> Down in <c>mshost</c> if its last heartbeat is older than <paramref name="silentSince"/>: false when it was already Down (or beat since).</summary>
    Task<bool> MarkDownAsync(string msid, DateTimeOffset silentSince, CancellationToken ct);
}
