namespace Agents.Producers.Jobs;

/// <summary>Durable jobs, their targets and the one secret a job may hold (encrypted, until read or expired).</summary>
public interface IJobStore
{
    /// <summary>The job, its targets as given (the engine claims the first InProgress here), its secret and its owner, in one commit.</summary>
    Task CreateAsync(Job job, IReadOnlyList<JobTarget> targets, string? secret, DateTimeOffset? secretExpires, Cluster.JobOwner? owner, CancellationToken ct);

    Task<Job?> GetAsync(Guid id, CancellationToken ct);

    /// <summary>A page of the jobs that match (newest first, then by id) and how many match in all.</summary>
    Task<(IReadOnlyList<Job> Page, int Total)> ListAsync(string? account, DateTimeOffset? startDate, string? keyword, int skip, int? take, CancellationToken ct);

    Task<IReadOnlyList<JobTarget>> TargetsAsync(Guid jobId, CancellationToken ct);

    /// <summary>How many of the job's targets are in each status, counted by the database (no target read).</summary>
    Task<TargetCounts> CountTargetsAsync(Guid jobId, CancellationToken ct);

    /// <summary>The job's first <paramref name="limit"/> Pending targets, by seq.</summary>
    Task<IReadOnlyList<JobTarget>> PendingTargetsAsync(Guid jobId, int limit, CancellationToken ct);

    Task<JobTarget?> FindTargetAsync(Guid commandId, CancellationToken ct);

    Task UpdateJobAsync(Job job, CancellationToken ct);

    Task UpdateTargetAsync(JobTarget target, CancellationToken ct);

    /// <summary>
    /// Moves a target from the state <paramref name="from"/> (its status and attempt) to
    /// <paramref name="to"/> in one conditional update: false when the target is no longer in that
    /// state (another API instance, or a duplicate outcome, moved it first). Every instance on one
    /// database may drive any job: this is what keeps each step happening once.
    /// </summary>
    Task<bool> MoveTargetAsync(JobTarget from, JobTarget to, CancellationToken ct);

    /// <summary>
    /// The move of the last target a job waits for and the job's completion (<see cref="CompleteJobAsync"/>)
    /// in one commit: neither happens when the target is no longer in <paramref name="from"/>'s state.
    /// Whether the target moved, and whether this call completed the job.
    /// </summary>
    Task<(bool Moved, bool Completed)> MoveLastTargetAsync(JobTarget from, JobTarget to, Job done, CancellationToken ct);

    /// <summary>Several moves in one transaction (a fan-out's sends: one commit, not one per target); the targets that moved.</summary>
    Task<IReadOnlyList<JobTarget>> MoveTargetsAsync(IReadOnlyList<(JobTarget From, JobTarget To)> moves, CancellationToken ct);

    /// <summary>Records the job's end once: false when it was already complete (another instance finished it).</summary>
    Task<bool> CompleteJobAsync(Job done, CancellationToken ct);

    /// <summary>The job's secret, left in place (to seal it to an agent at a send); null once taken or expired.</summary>
    Task<string?> PeekSecretAsync(Guid jobId, CancellationToken ct);

    /// <summary>The job's secret, removed in the same step: it is handed out once.</summary>
    Task<string?> TakeSecretAsync(Guid jobId, CancellationToken ct);

    Task<int> PurgeExpiredSecretsAsync(DateTimeOffset now, CancellationToken ct);

    Task<IReadOnlyList<Guid>> UnfinishedJobIdsAsync(CancellationToken ct);
}
