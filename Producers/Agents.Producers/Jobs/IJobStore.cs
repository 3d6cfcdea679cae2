namespace Agents.Producers.Jobs;

/// <summary>Durable jobs, their targets and the one secret a job may hold (encrypted, until read or expired).</summary>
public interface IJobStore
{
    Task CreateAsync(Job job, IReadOnlyList<JobTarget> targets, string? secret, DateTimeOffset? secretExpires, CancellationToken ct);

    Task<Job?> GetAsync(Guid id, CancellationToken ct);

    Task<IReadOnlyList<Job>> ListAsync(string? account, DateTimeOffset? startDate, int limit, CancellationToken ct);

    Task<IReadOnlyList<JobTarget>> TargetsAsync(Guid jobId, CancellationToken ct);

    Task<JobTarget?> FindTargetAsync(Guid commandId, CancellationToken ct);

    Task UpdateJobAsync(Job job, CancellationToken ct);

    Task UpdateTargetAsync(JobTarget target, CancellationToken ct);

    /// <summary>The job's secret, removed in the same step: it is handed out once.</summary>
    Task<string?> TakeSecretAsync(Guid jobId, CancellationToken ct);

    Task<int> PurgeExpiredSecretsAsync(DateTimeOffset now, CancellationToken ct);

    Task<IReadOnlyList<Guid>> UnfinishedJobIdsAsync(CancellationToken ct);
}
