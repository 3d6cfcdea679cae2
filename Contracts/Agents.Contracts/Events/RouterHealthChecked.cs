using Agents.Contracts.Commands;

namespace Agents.Contracts.Events;

/// <summary>
/// One health check's result: a ROUTER.HEALTHCHECK ResourceStateEvent (new-state Passed or Failed)
/// about a router (DomainRouter), or about a system VM (VirtualMachine) whose agent its bridge asked.
/// </summary>
public sealed record RouterHealthChecked
{
    public const string Passed = "Passed";
    public const string Failed = "Failed";
    /// <summary>The old-state of a check's first result: CloudStack's state events always name one.</summary>
    public const string Unknown = "Unknown";

    public required Guid MessageId { get; init; }
    /// <summary>The router's id, or the system VM's when <see cref="ResourceType"/> is VirtualMachine.</summary>
    public required string RouterId { get; init; }
    /// <summary>DomainRouter (the default) or VirtualMachine (a system VM's agent ran the check).</summary>
    public string ResourceType { get; init; } = ResourceTypes.DomainRouter;
    public required HealthCheckResult Result { get; init; }
    /// <summary>Whether the check passed the time before; null when it never ran before.</summary>
    public bool? PassedBefore { get; init; }

    public CloudStackEvent ToEvent() => new ResourceStateChanged
    {
        MessageId = MessageId,
        EventType = EventTypes.RouterHealthCheck,
        ResourceType = ResourceType,
        ResourceUuid = RouterId,
        OldState = PassedBefore is { } before ? State(before) : Unknown,
        NewState = State(Result.Success),
        ChangedAt = Result.LastUpdated,
        Details = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["checkName"] = Result.CheckName,
            ["checkType"] = Result.CheckType.ToString(),
            ["success"] = Result.Success ? "true" : "false",
            ["details"] = Result.Details,
        },
    }.ToEvent();

    /// <summary>Reads a ROUTER.HEALTHCHECK ResourceStateEvent; null for any other event (the RunHealthChecks outcome, an ActionEvent of the same type, included).</summary>
    /// <exception cref="InvalidEventException">Such an event without messageId, id, checkName or a known checkType.</exception>
    public static RouterHealthChecked? FromEvent(CloudStackEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.Category != EventCategory.ResourceStateEvent || e.Type != EventTypes.RouterHealthCheck) return null;
        var state = ResourceStateChanged.FromEvent(e);
        if (!Enum.TryParse<HealthCheckType>(e.Required("checkType"), ignoreCase: true, out var type) || !Enum.IsDefined(type))
            throw new InvalidEventException($"ROUTER.HEALTHCHECK: checkType '{e["checkType"]}' is not Basic or Advanced");
        return new RouterHealthChecked
        {
            MessageId = state.MessageId ?? e.RequiredGuid("messageId"),
            RouterId = state.ResourceUuid,
            ResourceType = state.ResourceType,
            Result = new HealthCheckResult(e.Required("checkName"), type, e["success"] == "true", e["details"] ?? "", state.ChangedAt),
            PassedBefore = state.OldState switch { Passed => true, Failed => false, _ => null },
        };
    }

    private static string State(bool passed) => passed ? Passed : Failed;
}
