using Microsoft.Extensions.Options;

namespace Agents.Producers.Cluster;

/// <summary>This instance's side of the job leases: it owns the jobs it creates, renews their leases on its heartbeat, takes over those whose lease ran out.</summary>
public sealed class JobLeases(IJobLeaseStore store, ManagementServer server, IOptions<ProducersOptions> options, TimeProvider time)
{
    public ManagementServer Server => server;

    public TimeSpan Interval => TimeSpan.FromMilliseconds(options.Value.Cluster.HeartbeatIntervalMilliseconds);

    public TimeSpan Threshold => TimeSpan.FromMilliseconds(options.Value.Cluster.HeartbeatThresholdMilliseconds);

    /// <summary>For a job this instance creates: it runs it, with a lease from now (written with the job's row).</summary>
    public JobOwner NewJobOwner() => new(server.Msid, time.GetUtcNow() + Threshold);

    /// <summary>The heartbeat: this instance is up and keeps the jobs it runs; how many it keeps.</summary>
    public Task<int> HeartbeatAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        return store.HeartbeatAsync(server, now, now + Threshold, ct);
    }

    /// <summary>Unfinished jobs nobody holds: their owner's lease ran out, or nobody took them since they were created a lease ago.</summary>
    public Task<IReadOnlyList<JobLease>> ExpiredAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        return store.ExpiredAsync(server.Msid, now, now - Threshold, ct);
    }

    /// <summary>Takes one of them; false when another instance took it first (or its owner came back).</summary>
    public Task<bool> TakeAsync(JobLease lease, CancellationToken ct) => store.TakeAsync(lease, server.Msid, time.GetUtcNow() + Threshold, ct);

    /// <summary>Marks the silent owner Down in mshost, once across the cluster: true for the instance that did.</summary>
    public Task<bool> MarkDownAsync(string msid, CancellationToken ct) => store.MarkDownAsync(msid, time.GetUtcNow() - Threshold, ct);
}
