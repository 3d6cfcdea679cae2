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
        Source = CloudStackEvent.DefaultSource,
        Category = EventCategory.ActionEvent,
        Type = EventType,
        ResourceType = ResourceTypes.Certificate,
        ResourceUuid = SerialNumber,
        Description = new EventBody()
            .Set("status", "Completed")
            .Set("event", EventType)
            .Set("entity", ResourceTypes.Certificate)
            .Set("entityuuid", SerialNumber)
            .Set("description", $"{EventType} serial {SerialNumber} ({Subject})")
            .Set("eventDateTime", CloudStackEvent.FormatDateTime(At))
            .Set("schemaVersion", 1)
            .Set("messageId", MessageId.ToString())
            .Set("serialNumber", SerialNumber)
            .Set("subject", Subject)
            .Set("holder", Holder)
            .Set("notAfter", NotAfter)
            .Set("revocationReason", RevocationReason)
            .Set("at", At)
            .Build(),
    };

    public static CertificateChanged FromEvent(CloudStackEvent e) => new()
    {
        MessageId = EventBody.RequiredGuid(e, "messageId"),
        EventType = EventBody.Required(e, "event"),
        SerialNumber = EventBody.Required(e, "serialNumber"),
        Subject = e["subject"] ?? "",
        Holder = e["holder"],
        NotAfter = EventBody.OptionalTime(e, "notAfter"),
        RevocationReason = e["revocationReason"],
        At = EventBody.OptionalTime(e, "at") ?? DateTimeOffset.UtcNow,
    };
}
