using System.Globalization;
using System.Data.Common;
using Agents.Contracts.Events;
using Agents.Producers.Storage;
using Agents.Storage;

namespace Agents.Producers.Jobs;

public sealed class SqlJobStore(Database db, SecretBox box) : IJobStore
{
    private const string JobColumns = "id, command, account, status, process_status, instance_type, instance_id, max_concurrency, max_errors, cancel_requested, details, error_text, created, completed";
    private const string TargetColumns = "job_id, seq, command_id, command_type, router_id, vm_id, payload, status, attempt, next_attempt_at, exit_code, stdout, stderr, message, updated";

    private static string Purpose(Guid jobId) => "job-secret/" + jobId;

    private static Job MapJob(DbDataReader r) => new(
        Guid.Parse(r.GetString(0)), r.GetString(1), r.GetString(2), (AsyncJobStatus)r.Int(3), r.GetString(4),
        r.NullableString(5), r.NullableString(6), r.Int(7), r.Int(8), r.Int(9) != 0,
        r.NullableString(10), r.NullableString(11), r.Time(12), r.NullableTime(13));

    private static JobTarget MapTarget(DbDataReader r) => new(
        Guid.Parse(r.GetString(0)), r.Int(1), Guid.Parse(r.GetString(2)), r.GetString(3), r.GetString(4), r.NullableString(5),
        r.GetString(6), Enum.Parse<TargetStatus>(r.GetString(7)), r.Int(8), r.NullableTime(9), r.NullableInt(10),
        r.NullableString(11), r.NullableString(12), r.NullableString(13), r.Time(14));

    private static (string, object?)[] JobArgs(Job j) =>
    [
        ("@id", j.Id.ToString()), ("@command", j.Command), ("@account", j.Account), ("@status", (int)j.Status), ("@ps", j.ProcessStatus),
        ("@it", j.InstanceType), ("@ii", j.InstanceId), ("@mc", j.MaxConcurrency), ("@me", j.MaxErrors), ("@cancel", j.CancelRequested ? 1 : 0),
        ("@details", j.Details), ("@error", j.ErrorText), ("@created", j.Created.Iso()), ("@completed", j.Completed?.Iso()),
    ];

    private static (string, object?)[] TargetArgs(JobTarget t) =>
    [
        ("@job", t.JobId.ToString()), ("@seq", t.Seq), ("@cid", t.CommandId.ToString()), ("@type", t.CommandType), ("@router", t.RouterId),
        ("@vm", t.VmId), ("@payload", t.Payload), ("@status", t.Status.ToString()), ("@attempt", t.Attempt), ("@next", t.NextAttemptAt?.Iso()),
        ("@exit", t.ExitCode), ("@stdout", t.Stdout), ("@stderr", t.Stderr), ("@message", t.Message), ("@updated", t.Updated.Iso()),
    ];

    public Task CreateAsync(Job job, IReadOnlyList<JobTarget> targets, string? secret, DateTimeOffset? secretExpires, Cluster.JobOwner? owner, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(targets);
        return db.InTransactionAsync(async tx =>
        {
            await tx.ExecuteAsync(
                // its owner and lease in the same row: the job, its targets, its secret and who runs it are one commit
                $"INSERT INTO jobs({JobColumns}, job_init_msid, job_executing_msid, job_lease_expires) " +
                "VALUES (@id, @command, @account, @status, @ps, @it, @ii, @mc, @me, @cancel, @details, @error, @created, @completed, @ms, @ms, @until)",
                [.. JobArgs(job), ("@ms", owner?.Msid), ("@until", owner?.Until.Iso())]).ConfigureAwait(false);
            foreach (var target in targets)
                await tx.ExecuteAsync(
                    $"INSERT INTO job_targets({TargetColumns}) VALUES (@job, @seq, @cid, @type, @router, @vm, @payload, @status, @attempt, @next, @exit, @stdout, @stderr, @message, @updated)",
                    TargetArgs(target)).ConfigureAwait(false);
            if (secret is not null)
                await tx.ExecuteAsync("INSERT INTO job_secrets(job_id, sealed, expires) VALUES (@id, @s, @e)",
                    ("@id", job.Id.ToString()), ("@s", box.Seal(secret, Purpose(job.Id))), ("@e", (secretExpires ?? DateTimeOffset.UtcNow.AddHours(1)).Iso())).ConfigureAwait(false);
        }, ct);
    }

    public Task<Job?> GetAsync(Guid id, CancellationToken ct) =>
        db.SingleAsync($"SELECT {JobColumns} FROM jobs WHERE id = @id", MapJob, ("@id", id.ToString()));

    public async Task<(IReadOnlyList<Job> Page, int Total)> ListAsync(string? account, DateTimeOffset? startDate, string? keyword, int skip, int? take, CancellationToken ct)
    {
        const string where = "WHERE (@a IS NULL OR account = @a) AND (@s IS NULL OR created >= @s) AND (@k IS NULL OR instr(lower(command), lower(@k)) > 0 OR instr(id, lower(@k)) > 0)";
        (string, object?)[] args = [("@a", account), ("@s", startDate?.Iso()), ("@k", keyword)];
        var total = (await db.QueryAsync($"SELECT count(*) FROM jobs {where}", r => r.Int(0), args).ConfigureAwait(false))[0];
        // no take is every row: LIMIT with the largest count both engines accept (SQLite's -1 is not MariaDB's)
        var page = await db.QueryAsync($"SELECT {JobColumns} FROM jobs {where} ORDER BY created DESC, id LIMIT @l OFFSET @o",
            MapJob, [.. args, ("@l", take ?? int.MaxValue), ("@o", skip)]).ConfigureAwait(false);
        return (page, total);
    }

    public async Task<IReadOnlyList<JobTarget>> TargetsAsync(Guid jobId, CancellationToken ct) =>
        await db.QueryAsync($"SELECT {TargetColumns} FROM job_targets WHERE job_id = @j ORDER BY seq", MapTarget, ("@j", jobId.ToString())).ConfigureAwait(false);

    public async Task<TargetCounts> CountTargetsAsync(Guid jobId, CancellationToken ct)
    {
        var rows = await db.QueryAsync("SELECT status, COUNT(*) FROM job_targets WHERE job_id = @j GROUP BY status",
            r => (Status: Enum.Parse<TargetStatus>(r.GetString(0)), Count: Convert.ToInt32(r.GetValue(1), CultureInfo.InvariantCulture)), ("@j", jobId.ToString())).ConfigureAwait(false);
        return new TargetCounts(rows.ToDictionary(r => r.Status, r => r.Count));
    }

    public async Task<IReadOnlyList<JobTarget>> PendingTargetsAsync(Guid jobId, int limit, CancellationToken ct) =>
        limit <= 0 ? [] : await db.QueryAsync($"SELECT {TargetColumns} FROM job_targets WHERE job_id = @j AND status = @s ORDER BY seq LIMIT @n", MapTarget,
            ("@j", jobId.ToString()), ("@s", nameof(TargetStatus.Pending)), ("@n", limit)).ConfigureAwait(false);

    public Task<JobTarget?> FindTargetAsync(Guid commandId, CancellationToken ct) =>
        db.SingleAsync($"SELECT {TargetColumns} FROM job_targets WHERE command_id = @c", MapTarget, ("@c", commandId.ToString()));

    public Task UpdateJobAsync(Job job, CancellationToken ct) =>
        db.ExecuteAsync(
            "UPDATE jobs SET status = @status, process_status = @ps, cancel_requested = @cancel, details = @details, error_text = @error, completed = @completed WHERE id = @id",
            JobArgs(job));

    private const string UpdateTarget =
        "UPDATE job_targets SET status = @status, attempt = @attempt, next_attempt_at = @next, exit_code = @exit, stdout = @stdout, stderr = @stderr, " +
        "message = @message, updated = @updated WHERE job_id = @job AND seq = @seq";

    public Task UpdateTargetAsync(JobTarget target, CancellationToken ct) => db.ExecuteAsync(UpdateTarget, TargetArgs(target));

    private const string MoveTarget = UpdateTarget + " AND status = @fromStatus AND attempt = @fromAttempt";

    private static (string, object?)[] MoveArgs(JobTarget from, JobTarget to) =>
        [.. TargetArgs(to), ("@fromStatus", from.Status.ToString()), ("@fromAttempt", from.Attempt)];

    public async Task<bool> MoveTargetAsync(JobTarget from, JobTarget to, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        return await db.ExecuteAsync(MoveTarget, MoveArgs(from, to)).ConfigureAwait(false) == 1;
    }

    public Task<(bool Moved, bool Completed)> MoveLastTargetAsync(JobTarget from, JobTarget to, Job done, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        ArgumentNullException.ThrowIfNull(done);
        return db.InTransactionAsync(async tx =>
        {
            if (await tx.ExecuteAsync(MoveTarget, MoveArgs(from, to)).ConfigureAwait(false) != 1) return (false, false);
            return (true, await tx.ExecuteAsync(CompleteJob, JobArgs(done)).ConfigureAwait(false) == 1);
        }, ct);
    }

    public async Task<IReadOnlyList<JobTarget>> MoveTargetsAsync(IReadOnlyList<(JobTarget From, JobTarget To)> moves, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(moves);
        if (moves.Count == 0) return [];
        return await db.InTransactionAsync(async tx =>
        {
            var moved = new List<JobTarget>(moves.Count);
            foreach (var (from, to) in moves)
                if (await tx.ExecuteAsync(MoveTarget, MoveArgs(from, to)).ConfigureAwait(false) == 1) moved.Add(to);
            return (IReadOnlyList<JobTarget>)moved;
        }, ct).ConfigureAwait(false);
    }

    public async Task<bool> CompleteJobAsync(Job done, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(done);
        return await db.ExecuteAsync(CompleteJob, JobArgs(done)).ConfigureAwait(false) == 1;
    }

    private const string CompleteJob =
        "UPDATE jobs SET status = @status, process_status = @ps, cancel_requested = @cancel, details = @details, error_text = @error, completed = @completed " +
        "WHERE id = @id AND completed IS NULL";

    public async Task<string?> PeekSecretAsync(Guid jobId, CancellationToken ct)
    {
        var sealedValue = await db.ScalarAsync("SELECT sealed FROM job_secrets WHERE job_id = @id AND expires > @now",
            ("@id", jobId.ToString()), ("@now", DateTimeOffset.UtcNow.Iso())).ConfigureAwait(false) as byte[];
        return sealedValue is null ? null : box.Open(sealedValue, Purpose(jobId));
    }

    /// <summary>The job's secret, once: whoever deletes the row (one caller, on any instance) gets it.</summary>
    public async Task<string?> TakeSecretAsync(Guid jobId, CancellationToken ct)
    {
        var args = new (string, object?)[] { ("@id", jobId.ToString()), ("@now", DateTimeOffset.UtcNow.Iso()) };
        var sealedValue = await db.ScalarAsync("SELECT sealed FROM job_secrets WHERE job_id = @id AND expires > @now", args).ConfigureAwait(false) as byte[];
        if (sealedValue is null) return null;
        var taken = await db.ExecuteAsync("DELETE FROM job_secrets WHERE job_id = @id AND expires > @now", args).ConfigureAwait(false);
        return taken == 1 ? box.Open(sealedValue, Purpose(jobId)) : null;
    }

    public Task<int> PurgeExpiredSecretsAsync(DateTimeOffset now, CancellationToken ct) =>
        db.ExecuteAsync("DELETE FROM job_secrets WHERE expires <= @now", ("@now", now.Iso()));

    public async Task<IReadOnlyList<Guid>> UnfinishedJobIdsAsync(CancellationToken ct) =>
        await db.QueryAsync("SELECT id FROM jobs WHERE status = 0", r => Guid.Parse(r.GetString(0))).ConfigureAwait(false);
}
