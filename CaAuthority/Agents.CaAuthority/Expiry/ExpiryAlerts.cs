using Agents.CaAuthority.Store;
using Agents.Contracts.Events;

namespace Agents.CaAuthority;

/// <summary>The expiry AlertEvents: one group per holder (or certificate), resolved when it is renewed.</summary>
public static class ExpiryAlerts
{
    public static string GroupKey(CertificateRecord c) => $"certificate-expiring/{c.Holder ?? c.SerialNumber}";

    public static CloudStackEvent Firing(CertificateRecord c, ExpiryAlertReason why, DateTimeOffset now) => new AlertRaised
    {
        MessageId = Guid.NewGuid(),
        AlertType = EventTypes.AlertCertificateExpiring,
        Severity = c.NotAfter - now < TimeSpan.FromDays(2) ? AlertSeverity.Critical : AlertSeverity.Warning,
        GroupKey = GroupKey(c),
        ResourceType = ResourceTypes.Certificate,
        ResourceUuid = c.SerialNumber,
        Subject = c.NotAfter <= now
            ? $"Certificate {c.SerialNumber} of {c.Holder ?? c.Subject} expired {c.NotAfter:yyyy-MM-dd HH:mm} UTC"
            : $"Certificate {c.SerialNumber} of {c.Holder ?? c.Subject} expires {c.NotAfter:yyyy-MM-dd HH:mm} UTC",
        Body = $"The certificate {c.SerialNumber} ({c.Subject}) of {c.Holder ?? "no holder"} " +
               (c.NotAfter <= now ? $"expired on {c.NotAfter:O}.\n" : $"expires on {c.NotAfter:O}, in {(c.NotAfter - now).TotalDays:0.0} days.\n") + Advice(why),
        RaisedAt = now,
    }.ToEvent();

    private static string Advice(ExpiryAlertReason why) => why switch
    {
        ExpiryAlertReason.RenewalOff => "Automatic renewal is off (ca.framework.cert.automatic.renewal): renew it with provisionCertificate, or issue a new one with issueCertificate.",
        ExpiryAlertReason.NoRouter => "It cannot be renewed automatically: it names no holder the CA can reach through a router (issued without one, or its VM never enrolled through a router). Issue a new one with issueCertificate and install it.",
        ExpiryAlertReason.NotRenewed => "Automatic renewal was requested a day ago but the holder has not renewed: check that its agent or bridge is running and connected, then run provisionCertificate for it.",
        ExpiryAlertReason.RenewalFailed => "The request for its automatic renewal could not be sent (see the CA's log); the next scan tries again. Or run provisionCertificate for it.",
        _ => "Renew it with provisionCertificate (its agent or bridge must be connected), or issue a new one with issueCertificate.",
    };

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

/// <summary>What the expiry scan did with an expiring certificate, or why it raises an alert for it.</summary>
public enum ExpiryAlertReason { None, RenewalRequested, Expired, RenewalOff, NoRouter, NotRenewed, RenewalFailed }
