using Agents.Contracts.Commands;

namespace Agents.Contracts.Events;

/// <summary>
/// The outcome of one command: an ActionEvent on <c>cloudstack-events</c> (status Completed) of the
/// command's event type (<see cref="EventTypeOf"/>), with the job and command ids, so the job
/// store and any CloudStack subscriber see the same thing.
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

    /// <summary>The ActionEvent type of a command type's outcome (CloudStack's where it has one: VM.RESETPASSWORD ...).</summary>
    public static string EventTypeOf(string commandType) => commandType switch
    {
        CommandTypes.ResetVmPassword => EventTypes.VmResetPassword,
        CommandTypes.ResetVmSshKey => EventTypes.VmResetSshKey,
        CommandTypes.RekeyCertificate => EventTypes.CertificateRekey,
        CommandTypes.RunHealthChecks => EventTypes.RouterHealthCheck,
        _ => EventTypes.AgentRecipeRun,
    };

    /// <summary>Every event type an outcome is published under: a subscriber to outcomes binds these.</summary>
    public static IReadOnlyList<string> OutcomeEventTypes { get; } = [.. CommandTypes.All.Select(EventTypeOf).Distinct(StringComparer.Ordinal)];

    /// <summary>The outcome of <paramref name="command"/> from its terminal result (the agent's, or the bridge's own timeout).</summary>
    public static AgentCommandCompleted Of(AgentCommand command, Protocol.ResultFrame result, long elapsedMs, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(result);
        return new()
        {
            MessageId = Guid.NewGuid(),
            CommandId = command.CommandId,
            JobId = command.JobId,
            CommandType = command.Type,
            RouterId = command.RouterId,
            VmId = command.VmId,
            Outcome = result.Outcome,
            Attempt = command.Attempt,
            ExitCode = result.ExitCode,
            Stdout = result.Stdout,
            Stderr = result.Stderr,
            Message = result.Message,
            DurationMs = result.DurationMs > 0 ? result.DurationMs : elapsedMs,
            CompletedAt = now,
        };
    }

    public CloudStackEvent ToEvent()
    {
        var (resourceType, resourceUuid) = VmId is null
            ? (ResourceTypes.DomainRouter, RouterId)
            : (ResourceTypes.VirtualMachine, VmId);
        var type = EventTypeOf(CommandType);
        var body = new EventBody(fields: 21)
            .Set("status", ActionEventStatus.Completed)
            .Set("event", type)
            .Set("entity", resourceType)
            .Set("entityuuid", resourceUuid)
            .Set("description", $"{CommandType} on {resourceType} {resourceUuid}: {Outcome}{(Message is null ? "" : " - " + Message)}")
            .Set("eventDateTime", CloudStackEvent.FormatDateTime(CompletedAt))
            .Set("schemaVersion", AgentCommand.CurrentSchemaVersion)
            .Set("messageId", MessageId)
            .Set("commandId", CommandId)
            .Set("jobId", JobId)
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
            Category = EventCategory.ActionEvent,
            Type = type,
            ResourceType = resourceType,
            ResourceUuid = resourceUuid,
            Description = body.Build(),
        };
    }

    /// <summary>
    /// Reads an outcome back; null when the event is not one: an outcome is an ActionEvent of one of
    /// <see cref="OutcomeEventTypes"/> that names its command (CloudStack's own VM.RESETPASSWORD events do not).
    /// </summary>
    /// <exception cref="InvalidEventException">It names a command but lacks a field an outcome has.</exception>
    public static AgentCommandCompleted? FromEvent(CloudStackEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.Category != EventCategory.ActionEvent || !OutcomeEventTypes.Contains(e.Type) || e["commandId"] is null) return null;
        if (!Enum.TryParse<CommandOutcome>(e.Required("outcome"), out var outcome) || !Enum.IsDefined(outcome))
            throw new InvalidEventException($"ActionEvent {e.Type}: unknown outcome '{e["outcome"]}'");
        return new AgentCommandCompleted
        {
            MessageId = e.RequiredGuid("messageId"),
            CommandId = e.RequiredGuid("commandId"),
            JobId = e.RequiredGuid("jobId"),
            CommandType = e.Required("commandType"),
            RouterId = e.Required("routerId"),
            VmId = e["vmId"],
            Outcome = outcome,
            Attempt = (int)(e.OptionalLong("attempt") ?? 1),
            ExitCode = (int?)e.OptionalLong("exitCode"),
            Stdout = e["stdout"],
            Stderr = e["stderr"],
            Message = e["message"],
            DurationMs = e.OptionalLong("durationMs") ?? 0,
            CompletedAt = e.OptionalTime("completedAt") ?? e.EventDateTime ?? DateTimeOffset.UtcNow,
        };
    }
}
