namespace Agents.Contracts.Events;

/// <summary>
/// An ActionEvent about a certificate (issued, revoked). Bridges bind
/// <c>*.ActionEvent.CA-CERTIFICATE-REVOKE.#</c> to refuse a revoked certificate at once,
/// without waiting for the next CRL.
/// </summary>
public sealed record CertificateChanged
{
    public required Guid MessageId { get; init; }
    /// <summary><see cref="EventTypes.CertificateIssued"/> or <see cref="EventTypes.CertificateRevoked"/>.</summary>
    public required string EventType { get; init; }
    /// <summary>Serial number, upper-case hex as issued.</summary>
    public required string SerialNumber { get; init; }
    public required string Subject { get; init; }
    /// <summary>The holder URI (urn:cloudstack:vm:{uuid} or urn:cloudstack:router:{uuid}) when there is one.</summary>
    public string? Holder { get; init; }
    public DateTimeOffset? NotAfter { get; init; }
    public string? RevocationReason { get; init; }
    public required DateTimeOffset At { get; init; }

    public CloudStackEvent ToEvent() => new()
    {
        Category = EventCategory.ActionEvent,
        Type = EventType,
        ResourceType = ResourceTypes.Certificate,
        ResourceUuid = SerialNumber,
        Description = new EventBody()
            .Set("status", ActionEventStatus.Completed)
            .Set("event", EventType)
            .Set("entity", ResourceTypes.Certificate)
            .Set("entityuuid", SerialNumber)
            .Set("description", $"{EventType} serial {SerialNumber} ({Subject})")
            .Set("eventDateTime", CloudStackEvent.FormatDateTime(At))
            .Set("schemaVersion", 1)
            .Set("messageId", MessageId)
            .Set("serialNumber", SerialNumber)
            .Set("subject", Subject)
            .Set("holder", Holder)
            .Set("notAfter", NotAfter)
            .Set("revocationReason", RevocationReason)
            .Set("at", At)
            .Build(),
    };

    /// <summary>Reads a certificate ActionEvent (issued or revoked).</summary>
    /// <exception cref="InvalidEventException">Another event, or one without messageId or serialNumber.</exception>
    public static CertificateChanged FromEvent(CloudStackEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.Category != EventCategory.ActionEvent || e.Type is not (EventTypes.CertificateIssued or EventTypes.CertificateRevoked))
            throw new InvalidEventException($"{e.Category} {e.Type} is not a certificate event");
        return new()
        {
            MessageId = e.RequiredGuid("messageId"),
            EventType = e.Type,
            SerialNumber = e.Required("serialNumber"),
            Subject = e["subject"] ?? "",
            Holder = e["holder"],
            NotAfter = e.OptionalTime("notAfter"),
            RevocationReason = e["revocationReason"],
            At = e.OptionalTime("at") ?? e.EventDateTime ?? DateTimeOffset.UtcNow,
        };
    }
}
