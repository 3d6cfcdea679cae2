using Agents.Contracts.Events;

namespace Agents.Producers.Jobs;

/// <summary>
/// An async job: one API call that sends commands to one target or many. <see cref="MaxErrors"/>
/// is the error budget (0 for a single target): once more targets than that have failed, no new
/// target is sent.
/// </summary>
public sealed record Job(
    Guid Id,
    string Command,
    string Account,
    AsyncJobStatus Status,
    string ProcessStatus,
    string? InstanceType,
    string? InstanceId,
    int MaxConcurrency,
    int MaxErrors,
    bool CancelRequested,
    string? Details,
    string? ErrorText,
    DateTimeOffset Created,
    DateTimeOffset? Completed)
{
    public bool IsDone => Status != AsyncJobStatus.Pending;
}
