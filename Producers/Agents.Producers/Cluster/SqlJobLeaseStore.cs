using Agents.Storage;

namespace Agents.Producers.Cluster;

public sealed class SqlJobLeaseStore(Database db) : IJobLeaseStore
{
    public Task<int> HeartbeatAsync(ManagementServer server, DateTimeOffset now, DateTimeOffset until, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(server);
        return db.InTransactionAsync(async tx =>
        {
            (string, object?)[] host = [("@ms", server.Msid), ("@run", server.RunId), ("@name", server.Name), ("@version", server.Version), ("@now", now.Iso())];
            // only this instance writes its row: an update, else the first insert
            if (await tx.ExecuteAsync("UPDATE mshost SET runid = @run, name = @name, version = @version, state = 'Up', last_update = @now WHERE msid = @ms", host).ConfigureAwait(false) == 0)
                await tx.ExecuteAsync("INSERT INTO mshost(msid, runid, name, version, state, last_update) VALUES (@ms, @run, @name, @version, 'Up', @now)", host).ConfigureAwait(false);
            return await tx.ExecuteAsync("UPDATE jobs SET job_lease_expires = @until WHERE job_executing_msid = @ms AND status = 0",
                ("@until", until.Iso()), ("@ms", server.Msid)).ConfigureAwait(false);
        }, ct);
    }

    public async Task<IReadOnlyList<JobLease>> ExpiredAsync(string msid, DateTimeOffset now, DateTimeOffset unownedBefore, CancellationToken ct) =>
        await db.QueryAsync(
            "SELECT id, job_executing_msid, job_lease_expires, created FROM jobs WHERE status = 0 AND " +
            "((job_executing_msid IS NULL AND created < @unowned) OR (job_executing_msid <> @ms AND job_lease_expires < @now))",
            r => new JobLease(Guid.Parse(r.GetString(0)), r.NullableString(1), r.NullableTime(2) ?? r.Time(3) + (now - unownedBefore)),
            ("@unowned", unownedBefore.Iso()), ("@ms", msid), ("@now", now.Iso())).ConfigureAwait(false);

    public async Task<bool> TakeAsync(JobLease lease, string msid, DateTimeOffset until, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(lease);
        (string, object?)[] args = [("@ms", msid), ("@until", until.Iso()), ("@id", lease.JobId.ToString()), ("@old", lease.Owner), ("@expired", lease.Expired.Iso())];
        // the owner read and its lease no later than the expired one read: a renewal or another taker in between leaves it alone
        var sql = lease.Owner is null
            ? "UPDATE jobs SET job_executing_msid = @ms, job_lease_expires = @until WHERE id = @id AND status = 0 AND job_executing_msid IS NULL"
            : "UPDATE jobs SET job_executing_msid = @ms, job_lease_expires = @until WHERE id = @id AND status = 0 AND job_executing_msid = @old AND job_lease_expires <= @expired";
        return await db.ExecuteAsync(sql, args).ConfigureAwait(false) == 1;
    }

    public async Task<bool> MarkDownAsync(string msid, DateTimeOffset silentSince, CancellationToken ct) =>
        await db.ExecuteAsync("UPDATE mshost SET state = 'Down' WHERE msid = @ms AND state = 'Up' AND last_update < @since",
            ("@ms", msid), ("@since", silentSince.Iso())).ConfigureAwait(false) == 1;
}
