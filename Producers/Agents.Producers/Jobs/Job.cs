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

/// <summary>Per-target statuses, as the job result shows them. Retrying is in flight: shown as InProgress.</summary>
public enum TargetStatus { Pending, InProgress, Retrying, Success, Failed, Rejected, DeliveryTimedOut, ExecutionTimedOut, Cancelled }

/// <summary>One command of a job: to a VM's agent (<see cref="VmId"/>) or to a router itself. The command id stays the same across retries.</summary>
public sealed record JobTarget(
    Guid JobId,
    int Seq,
    Guid CommandId,
    string CommandType,
    string RouterId,
    string? VmId,
    string Payload,
    TargetStatus Status,
    int Attempt,
    DateTimeOffset? NextAttemptAt,
    int? ExitCode,
    string? Stdout,
    string? Stderr,
    string? Message,
    DateTimeOffset Updated)
{
    public bool IsTerminal => Status is not (TargetStatus.Pending or TargetStatus.InProgress or TargetStatus.Retrying);

    public bool IsInFlight => Status is TargetStatus.InProgress or TargetStatus.Retrying;

    public bool IsFailure => Status is TargetStatus.Failed or TargetStatus.Rejected or TargetStatus.DeliveryTimedOut or TargetStatus.ExecutionTimedOut;

    public static JobTarget New(Guid jobId, int seq, string commandType, string routerId, string? vmId, string payload) =>
        new(jobId, seq, Guid.NewGuid(), commandType, routerId, vmId, payload, TargetStatus.Pending, 0, null, null, null, null, null, DateTimeOffset.UtcNow);
}
