namespace Agents.Producers.Jobs;

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
    public bool IsTerminal => IsTerminalStatus(Status);

    public bool IsInFlight => IsInFlightStatus(Status);

    public bool IsFailure => IsFailureStatus(Status);

    public static bool IsTerminalStatus(TargetStatus status) => status is not (TargetStatus.Pending or TargetStatus.InProgress or TargetStatus.Retrying);

    public static bool IsInFlightStatus(TargetStatus status) => status is TargetStatus.InProgress or TargetStatus.Retrying;

    public static bool IsFailureStatus(TargetStatus status) =>
        status is TargetStatus.Failed or TargetStatus.Rejected or TargetStatus.DeliveryTimedOut or TargetStatus.ExecutionTimedOut;

    public static JobTarget New(Guid jobId, int seq, string commandType, string routerId, string? vmId, string payload) =>
        new(jobId, seq, Guid.NewGuid(), commandType, routerId, vmId, payload, TargetStatus.Pending, 0, null, null, null, null, null, DateTimeOffset.UtcNow);
}
