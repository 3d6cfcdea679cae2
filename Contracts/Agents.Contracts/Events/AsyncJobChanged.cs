namespace Agents.Contracts.Events;

/// <summary>CloudStack's async job status codes: 0 pending, 1 success, 2 failure.</summary>
public enum AsyncJobStatus { Pending = 0, Succeeded = 1, Failed = 2 }

/// <summary>An AsyncJobEvent, published on every state change of a job (CloudStack field names).</summary>
public sealed record AsyncJobChanged
{
    public required Guid MessageId { get; init; }
    public required Guid JobId { get; init; }
    /// <summary>The API command that created the job, e.g. resetPasswordForVirtualMachine.</summary>
    public required string Command { get; init; }
    public required AsyncJobStatus Status { get; init; }
    /// <summary>A short progress word: Queued, InProgress, Retrying, Succeeded, Failed, Cancelled.</summary>
    public required string ProcessStatus { get; init; }
    public string? InstanceType { get; init; }
    public string? InstanceUuid { get; init; }
    public string? Account { get; init; }
    /// <summary>Never holds a secret: a password stays in the job store and reaches only queryAsyncJobResult.</summary>
    public string? Summary { get; init; }
    public required DateTimeOffset ChangedAt { get; init; }

    public CloudStackEvent ToEvent() => new()
    {
        Source = CloudStackEvent.DefaultSource,
        Category = EventCategory.AsyncJobEvent,
        Type = EventTypes.AsyncJob,
        ResourceType = ResourceTypes.AsyncJob,
        ResourceUuid = JobId.ToString(),
        Description = new EventBody()
            .Set("jobId", JobId.ToString())
            .Set("command", Command)
            .Set("status", ((int)Status).ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Set("processStatus", ProcessStatus)
            .Set("instanceType", InstanceType)
            .Set("instanceUuid", InstanceUuid)
            .Set("account", Account)
            .Set("jobResult", Summary)
            .Set("eventDateTime", CloudStackEvent.FormatDateTime(ChangedAt))
            .Set("schemaVersion", 1)
            .Set("messageId", MessageId.ToString())
            .Set("changedAt", ChangedAt)
            .Build(),
    };
}
