using System.Globalization;

namespace Agents.Contracts.Events;

/// <summary>An agent came up, went down or missed its heartbeats: an AGENT.STATE ResourceStateEvent about its VM.</summary>
public sealed record AgentStateChanged
{
    public required Guid MessageId { get; init; }
    public required string VmId { get; init; }
    public required string RouterId { get; init; }
    public string? OldState { get; init; }
    /// <summary>One of <see cref="AgentStates"/>.</summary>
    public required string NewState { get; init; }
    public string? AgentVersion { get; init; }
    public string? Address { get; init; }
    public string? CertificateSerial { get; init; }
    public DateTimeOffset? CertificateNotAfter { get; init; }
    /// <summary>The command types the agent's handlers and policy allow (its hello).</summary>
    public IReadOnlyList<string> Capabilities { get; init; } = [];
    public string? Reason { get; init; }
    public required DateTimeOffset ChangedAt { get; init; }

    public CloudStackEvent ToEvent()
    {
        var details = new Dictionary<string, string>(StringComparer.Ordinal) { ["routerId"] = RouterId };
        void Add(string key, string? value) { if (value is not null) details[key] = value; }
        Add("agentVersion", AgentVersion);
        Add("address", Address);
        Add("certificateSerial", CertificateSerial);
        Add("certificateNotAfter", CertificateNotAfter?.ToString("O", CultureInfo.InvariantCulture));
        Add("capabilities", string.Join(',', Capabilities));
        Add("reason", Reason);
        return new ResourceStateChanged
        {
            MessageId = MessageId,
            EventType = EventTypes.AgentState,
            ResourceType = ResourceTypes.VirtualMachine,
            ResourceUuid = VmId,
            OldState = OldState,
            NewState = NewState,
            ChangedAt = ChangedAt,
            Details = details,
        }.ToEvent();
    }

    /// <summary>Reads an AGENT.STATE event; null for any other event.</summary>
    /// <exception cref="InvalidEventException">An AGENT.STATE event without messageId, id, routerId or new-state.</exception>
    public static AgentStateChanged? FromEvent(CloudStackEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.Category != EventCategory.ResourceStateEvent || e.Type != EventTypes.AgentState) return null;
        var state = ResourceStateChanged.FromEvent(e);
        return new AgentStateChanged
        {
            MessageId = state.MessageId ?? e.RequiredGuid("messageId"),
            VmId = state.ResourceUuid,
            RouterId = e.Required("routerId"),
            OldState = state.OldState,
            NewState = state.NewState,
            AgentVersion = e["agentVersion"],
            Address = e["address"],
            CertificateSerial = e["certificateSerial"],
            CertificateNotAfter = e.OptionalTime("certificateNotAfter"),
            Capabilities = e["capabilities"]?.Split(',', StringSplitOptions.RemoveEmptyEntries) ?? [],
            Reason = e["reason"],
            ChangedAt = state.ChangedAt,
        };
    }
}
