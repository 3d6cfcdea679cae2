namespace Agents.Contracts.Events;

/// <summary>
/// An ActionEvent for an agent connection a bridge refused for its certificate: untrusted (signed
/// by another CA: an impostor), revoked, expired, missing while strictness is on, or naming no VM.
/// The resource is the VM the certificate claims when it names one (so the VM's own events show
/// who tried to be it), otherwise the refusing router. The certificate's fields are what it
/// claims, not facts. A bridge folds repeats of the same claimant (one certificate, or one address without a certificate) into one event per interval
/// and says how many in <see cref="Repeated"/>.
/// </summary>
public sealed record AgentConnectionRefused
{
    public required Guid MessageId { get; init; }
    public required string RouterId { get; init; }
    public string? RemoteAddress { get; init; }
    public required string Reason { get; init; }
    public string? CertificateSerial { get; init; }
    public string? CertificateSubject { get; init; }
    public string? CertificateIssuer { get; init; }
    /// <summary>The holder URI the certificate names (urn:cloudstack:vm:&lt;uuid&gt;…), when it names one.</summary>
    public string? ClaimedHolder { get; init; }
    /// <summary>The VM id of <see cref="ClaimedHolder"/> when it names a VM.</summary>
    public string? ClaimedVmId { get; init; }
    /// <summary>Refusals of the same claimant folded into this event (1: this one alone).</summary>
    public int Repeated { get; init; } = 1;
    public required DateTimeOffset At { get; init; }

    public CloudStackEvent ToEvent()
    {
        var (resourceType, resourceUuid) = ClaimedVmId is null ? (ResourceTypes.DomainRouter, RouterId) : (ResourceTypes.VirtualMachine, ClaimedVmId);
        var claimed = ClaimedHolder is null ? "" : $" claiming {ClaimedHolder}";
        var times = Repeated > 1 ? $" ({Repeated} times)" : "";
        return new()
        {
            Category = EventCategory.ActionEvent,
            Type = EventTypes.AgentConnectionRefused,
            ResourceType = resourceType,
            ResourceUuid = resourceUuid,
            Description = new EventBody(fields: 17)
                .Set("status", ActionEventStatus.Completed)
                .Set("level", "WARN")
                .Set("event", EventTypes.AgentConnectionRefused)
                .Set("entity", resourceType)
                .Set("entityuuid", resourceUuid)
                .Set("description", $"router {RouterId} refused an agent connection from {RemoteAddress ?? "?"}{claimed}{times}: {Reason}")
                .Set("eventDateTime", CloudStackEvent.FormatDateTime(At))
                .Set("schemaVersion", 1)
                .Set("messageId", MessageId)
                .Set("routerId", RouterId)
                .Set("remoteAddress", RemoteAddress)
                .Set("reason", Reason)
                .Set("certificateSerial", CertificateSerial)
                .Set("certificateSubject", CertificateSubject)
                .Set("certificateIssuer", CertificateIssuer)
                .Set("claimedHolder", ClaimedHolder)
                .Set("repeated", Repeated)
                .Build(),
        };
    }

    /// <summary>Reads an AGENT.CONNECTION.REFUSE event; null for any other event.</summary>
    /// <exception cref="InvalidEventException">Such an event without messageId, routerId or reason.</exception>
    public static AgentConnectionRefused? FromEvent(CloudStackEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.Category != EventCategory.ActionEvent || e.Type != EventTypes.AgentConnectionRefused) return null;
        return new AgentConnectionRefused
        {
            MessageId = e.RequiredGuid("messageId"),
            RouterId = e.Required("routerId"),
            RemoteAddress = e["remoteAddress"],
            Reason = e.Required("reason"),
            CertificateSerial = e["certificateSerial"],
            CertificateSubject = e["certificateSubject"],
            CertificateIssuer = e["certificateIssuer"],
            ClaimedHolder = e["claimedHolder"],
            ClaimedVmId = e.ResourceType == ResourceTypes.VirtualMachine ? e.ResourceUuid : null,
            Repeated = (int)(e.OptionalLong("repeated") ?? 1),
            At = e.EventDateTime ?? DateTimeOffset.UtcNow,
        };
    }
}
