using Agents.Contracts.Commands;

namespace Agents.Contracts.Events;

/// <summary>
/// The outcome of one command: an ActionEvent on <c>cloudstack-events</c> (status Completed),
/// with the job id, so the job store and any CloudStack subscriber see the same thing.
/// </summary>
public sealed record AgentCommandCompleted
{
    public required Guid MessageId { get; init; }
    public required Guid CommandId { get; init; }
    public required Guid JobId { get; init; }
    public required string CommandType { get; init; }
    public required string RouterId { get; init; }
    public string? VmId { get; init; }
    public required CommandOutcome Outcome { get; init; }
    public int Attempt { get; init; } = 1;
    public int? ExitCode { get; init; }
    public string? Stdout { get; init; }
    public string? Stderr { get; init; }
    public string? Message { get; init; }
    public long DurationMs { get; init; }
    public required DateTimeOffset CompletedAt { get; init; }

    public static string EventTypeOf(string commandType) => commandType switch
    {
        CommandTypes.ResetVmPassword => EventTypes.VmResetPassword,
        CommandTypes.ResetVmSshKey => EventTypes.VmResetSshKey,
        CommandTypes.RekeyCertificate => EventTypes.CertificateRekey,
        CommandTypes.RunHealthChecks => EventTypes.RouterHealthCheck,
        _ => EventTypes.AgentRecipeRun,
    };

    public CloudStackEvent ToEvent()
    {
        var (resourceType, resourceUuid) = VmId is null
            ? (ResourceTypes.DomainRouter, RouterId)
            : (ResourceTypes.VirtualMachine, VmId);
        var body = new EventBody()
            .Set("status", "Completed")
            .Set("event", EventTypeOf(CommandType))
            .Set("entity", resourceType)
            .Set("entityuuid", resourceUuid)
            .Set("description", $"{CommandType} on {resourceType} {resourceUuid}: {Outcome}{(Message is null ? "" : " - " + Message)}")
            .Set("eventDateTime", CloudStackEvent.FormatDateTime(CompletedAt))
            .Set("schemaVersion", AgentCommand.CurrentSchemaVersion)
            .Set("messageId", MessageId.ToString())
            .Set("commandId", CommandId.ToString())
            .Set("jobId", JobId.ToString())
            .Set("commandType", CommandType)
            .Set("routerId", RouterId)
            .Set("vmId", VmId)
            .Set("outcome", Outcome.ToString())
            .Set("attempt", Attempt)
            .Set("exitCode", ExitCode)
            .Set("stdout", Stdout)
            .Set("stderr", Stderr)
            .Set("message", Message)
            .Set("durationMs", DurationMs)
            .Set("completedAt", CompletedAt);
        return new CloudStackEvent
        {
            Source = CloudStackEvent.DefaultSource,
            Category = EventCategory.ActionEvent,
            Type = EventTypeOf(CommandType),
            ResourceType = resourceType,
            ResourceUuid = resourceUuid,
            Description = body.Build(),
        };
    }

    /// <summary>Reads an outcome back from an ActionEvent; null when the event is not a command outcome.</summary>
    public static AgentCommandCompleted? FromEvent(CloudStackEvent e)
    {
        if (e.Category != EventCategory.ActionEvent || e["commandId"] is null) return null;
        if (!Enum.TryParse<CommandOutcome>(EventBody.Required(e, "outcome"), out var outcome))
            throw new InvalidEventException($"ActionEvent {e.Type}: unknown outcome '{e["outcome"]}'");
        return new AgentCommandCompleted
        {
            MessageId = EventBody.RequiredGuid(e, "messageId"),
            CommandId = EventBody.RequiredGuid(e, "commandId"),
            JobId = EventBody.RequiredGuid(e, "jobId"),
            CommandType = EventBody.Required(e, "commandType"),
            RouterId = EventBody.Required(e, "routerId"),
            VmId = e["vmId"],
            Outcome = outcome,
            Attempt = (int)(EventBody.OptionalLong(e, "attempt") ?? 1),
            ExitCode = (int?)EventBody.OptionalLong(e, "exitCode"),
            Stdout = e["stdout"],
            Stderr = e["stderr"],
            Message = e["message"],
            DurationMs = EventBody.OptionalLong(e, "durationMs") ?? 0,
            CompletedAt = EventBody.OptionalTime(e, "completedAt") ?? DateTimeOffset.UtcNow,
        };
    }
}
