using Agents.CaAuthority.Store;
using Agents.Contracts.Events;

namespace Agents.CaAuthority;

/// <summary>The expiry AlertEvents: one group per holder (or certificate), resolved when it is renewed.</summary>
public static class ExpiryAlerts
{
    public static string GroupKey(CertificateRecord c) => $"certificate-expiring/{c.Holder ?? c.SerialNumber}";

    public static CloudStackEvent Firing(CertificateRecord c, bool renewalRequested, DateTimeOffset now) => new AlertRaised
    {
        MessageId = Guid.NewGuid(),
        AlertType = EventTypes.AlertCertificateExpiring,
        Severity = c.NotAfter - now < TimeSpan.FromDays(2) ? AlertSeverity.Critical : AlertSeverity.Warning,
        GroupKey = GroupKey(c),
        ResourceType = ResourceTypes.Certificate,
        ResourceUuid = c.SerialNumber,
        Subject = $"Certificate {c.SerialNumber} of {c.Holder ?? c.Subject} expires {c.NotAfter:yyyy-MM-dd HH:mm} UTC",
        Body = $"The certificate {c.SerialNumber} ({c.Subject}) of {c.Holder ?? "no holder"} expires on {c.NotAfter:O}, in {(c.NotAfter - now).TotalDays:0.0} days.\n" +
               (renewalRequested
                   ? "Automatic renewal was requested but the holder has not renewed: check that its agent or bridge is running and connected, then run provisionCertificate for it."
                   : "Automatic renewal is off (ca.framework.cert.automatic.renewal): renew it with provisionCertificate, or issue a new one with issueCertificate."),
        RaisedAt = now,
    }.ToEvent();

    public static CloudStackEvent Resolved(CertificateRecord old, CertificateRecord renewed) => new AlertRaised
    {
        MessageId = Guid.NewGuid(),
        AlertType = EventTypes.AlertCertificateExpiring,
        Severity = AlertSeverity.Info,
        State = AlertState.Resolved,
        GroupKey = GroupKey(old),
        ResourceType = ResourceTypes.Certificate,
        ResourceUuid = old.SerialNumber,
        Subject = $"Certificate of {old.Holder ?? old.Subject} renewed",
        Body = $"{old.Holder ?? old.Subject} renewed: certificate {renewed.SerialNumber} is valid until {renewed.NotAfter:O} and replaces {old.SerialNumber}.",
        RaisedAt = DateTimeOffset.UtcNow,
    }.ToEvent();
}
