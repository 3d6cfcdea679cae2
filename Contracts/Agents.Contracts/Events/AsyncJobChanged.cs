using System.Text.Json;

namespace Agents.Contracts.Events;

/// <summary>
/// An AsyncJobEvent as CloudStack's API server publishes it for each state change of a job:
/// routing key <c>management-server.AsyncJobEvent.{submit|update|complete}.&lt;instanceType&gt;.&lt;instanceUuid&gt;</c>,
/// body <c>command</c>, <c>commandEventType</c>, <c>jobId</c>, <c>status</c>, <c>processStatus</c>,
/// <c>resultCode</c>, <c>jobResult</c>, <c>instanceType</c>, <c>instanceUuid</c>, <c>user</c>,
/// <c>account</c>, <c>cmdInfo</c>; then ours. Never a secret in <see cref="JobResult"/> or
/// <see cref="CmdInfo"/>: a reset password stays in the job store and reaches only queryAsyncJobResult.
/// </summary>
public sealed record AsyncJobChanged
{
    public const string Submit = "submit";
    public const string Update = "update";
    public const string Complete = "complete";
    /// <summary>CloudStack's instanceType of a job that names no instance.</summary>
    public const string UnknownInstanceType = "unknown";

    /// <summary>Ours always carry one; null when read from CloudStack's own events.</summary>
    public required Guid? MessageId { get; init; }
    /// <summary><see cref="Submit"/>, <see cref="Update"/> or <see cref="Complete"/>: the routing key's type.</summary>
    public required string JobEvent { get; init; }
    public required Guid JobId { get; init; }
    /// <summary>The API command that created the job, e.g. resetPasswordForVirtualMachine.</summary>
    public required string Command { get; init; }
    /// <summary>The command's ActionEvent type (VM.RESETPASSWORD); null when unknown.</summary>
    public string? CommandEventType { get; init; }
    public required AsyncJobStatus Status { get; init; }
    /// <summary>CloudStack's jobprocstatus.</summary>
    public int ProcessStatus { get; init; }
    /// <summary>CloudStack's jobresultcode: 0, or the error code of a failed job (530).</summary>
    public int ResultCode { get; init; }
    public string? InstanceType { get; init; }
    public string? InstanceUuid { get; init; }
    /// <summary>Who asked (CloudStack puts user and account uuids; our keys belong to accounts, so both name the account).</summary>
    public string? User { get; init; }
    public string? Account { get; init; }
    /// <summary>The job's result object once complete (<c>{"errorcode":530,"errortext":…}</c> for a failure); never a secret.</summary>
    public JsonElement? JobResult { get; init; }
    /// <summary>What the command was asked to do (its event type and non-secret parameters); never a secret.</summary>
    public JsonElement? CmdInfo { get; init; }
    /// <summary>Ours: Queued, InProgress, Retrying, Succeeded, Failed or Cancelled.</summary>
    public string? Stage { get; init; }
    public required DateTimeOffset ChangedAt { get; init; }

    public CloudStackEvent ToEvent()
    {
        var objects = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (JobResult is { } result) objects["jobResult"] = result;
        if (CmdInfo is { } info) objects["cmdInfo"] = info;
        var instanceType = InstanceType ?? UnknownInstanceType;
        return new CloudStackEvent
        {
            Category = EventCategory.AsyncJobEvent,
            Type = JobEvent,
            ResourceType = instanceType,
            ResourceUuid = InstanceUuid,
            Description = new EventBody()
                .Set("command", Command)
                .Set("user", User)
                .Set("account", Account)
                .Set("processStatus", ProcessStatus)
                .Set("resultCode", ResultCode)
                .Set("instanceUuid", InstanceUuid ?? "")
                .Set("instanceType", instanceType)
                .Set("commandEventType", CommandEventType ?? "unknown")
                .Set("jobId", JobId)
                .Set("status", (int)Status)
                .Set("eventDateTime", CloudStackEvent.FormatDateTime(ChangedAt))
                .Set("schemaVersion", 1)
                .Set("messageId", MessageId)
                .Set("stage", Stage)
                .Set("changedAt", ChangedAt)
                .Build(),
            Objects = objects,
        };
    }

    /// <summary>Reads any AsyncJobEvent, ours or CloudStack's.</summary>
    /// <exception cref="InvalidEventException">Not an AsyncJobEvent, or without jobId, command or a status of 0, 1 or 2.</exception>
    public static AsyncJobChanged FromEvent(CloudStackEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.Category != EventCategory.AsyncJobEvent) throw new InvalidEventException($"{e.Category} {e.Type} is not an AsyncJobEvent");
        var status = e.OptionalLong("status");
        if (status is not (0 or 1 or 2)) throw new InvalidEventException($"AsyncJobEvent: status '{e["status"]}' is not 0, 1 or 2");
        return new AsyncJobChanged
        {
            MessageId = e.OptionalGuid("messageId"),
            JobEvent = e.Type,
            JobId = e.RequiredGuid("jobId"),
            Command = e.Required("command"),
            CommandEventType = e["commandEventType"] is { } type and not "unknown" ? type : null,
            Status = (AsyncJobStatus)status.Value,
            ProcessStatus = (int)(e.OptionalLong("processStatus") ?? 0),
            ResultCode = (int)(e.OptionalLong("resultCode") ?? 0),
            InstanceType = e.ResourceType,
            InstanceUuid = e.ResourceUuid,
            User = e["user"],
            Account = e["account"],
            JobResult = e.Object("jobResult"),
            CmdInfo = e.Object("cmdInfo"),
            Stage = e["stage"],
            ChangedAt = e.OptionalTime("changedAt") ?? e.EventDateTime ?? DateTimeOffset.UtcNow,
        };
    }
}
