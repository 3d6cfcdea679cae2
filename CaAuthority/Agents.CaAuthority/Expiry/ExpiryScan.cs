using Agents.CaAuthority.Options;
using Agents.CaAuthority.Providers;
using Agents.CaAuthority.Provisioning;
using Agents.CaAuthority.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Agents.Messaging;

namespace Agents.CaAuthority.Expiry;

/// <summary>
/// Finds valid certificates expiring within ca.framework.cert.expiry.alert.period. With
/// ca.framework.cert.automatic.renewal on it asks the holder to renew (a RekeyCertificate command,
/// at most once a day); when renewal is off, impossible (no router known) or did not happen by the
/// next day, it raises an expiry AlertEvent, at most once per certificate per day. The times of
/// both are in the store, so a restart neither repeats nor forgets them. A mark is written before
/// its message is sent ("at most once"), and taken back if the broker refuses the message. The mark
/// is a compare-and-set on the time the scan read, so of several CA instances on one inventory
/// exactly one raises each alert and requests each renewal.
/// </summary>
public sealed class ExpiryScan(ICaStore store, CertificateProvisioner provisioner, IEventPublisher events, IOptions<CaOptions> options, ILogger<ExpiryScan> logger)
{
    public static readonly TimeSpan OncePerDay = TimeSpan.FromDays(1);

    public sealed record Result(int Expiring, int RenewalsRequested, int AlertsRaised);

    public async Task<Result> ScanAsync(DateTimeOffset now, CancellationToken ct)
    {
        var expiring = await store.ExpiringAsync(now.AddDays(options.Value.ExpiryAlertPeriodDays), ct).ConfigureAwait(false);
        int renewals = 0, alerts = 0;
        foreach (var certificate in expiring)
        {
            var why = await RenewOrExplainAsync(certificate, now, ct).ConfigureAwait(false);
            if (why is ExpiryAlertReason.RenewalRequested or ExpiryAlertReason.NotRenewed) renewals++;
            if (why is ExpiryAlertReason.None or ExpiryAlertReason.RenewalRequested) continue;
            if ((certificate.LastExpiryAlertAt is null || now - certificate.LastExpiryAlertAt.Value >= OncePerDay)
                && await RaiseAlertAsync(certificate, why, now, ct).ConfigureAwait(false))
                alerts++;
        }
        if (expiring.Count > 0 && renewals + alerts > 0)
            logger.LogInformation("Expiry scan: {Expiring} certificate(s) expire within {Days} days; {Renewals} renewal request(s), {Alerts} alert(s)",
                expiring.Count, options.Value.ExpiryAlertPeriodDays, renewals, alerts);
        return new Result(expiring.Count, renewals, alerts);
    }

    /// <summary>Asks for a renewal when one is due and possible; otherwise says why an alert is due (or that none is).</summary>
    private async Task<ExpiryAlertReason> RenewOrExplainAsync(CertificateRecord certificate, DateTimeOffset now, CancellationToken ct)
    {
        if (certificate.NotAfter <= now) return ExpiryAlertReason.Expired;
        if (!options.Value.AutomaticRenewal) return ExpiryAlertReason.RenewalOff;
        if (CertificateProvisioner.RenewalRouter(certificate) is null) return ExpiryAlertReason.NoRouter;
        var requested = certificate.RenewalRequestedAt;
        if (requested is not null && now - requested.Value < OncePerDay) return ExpiryAlertReason.None;
        if (await RequestRenewalAsync(certificate, now, ct).ConfigureAwait(false))
            return requested is null ? ExpiryAlertReason.RenewalRequested : ExpiryAlertReason.NotRenewed;
        return ExpiryAlertReason.RenewalFailed;
    }

    private async Task<bool> RequestRenewalAsync(CertificateRecord certificate, DateTimeOffset now, CancellationToken ct)
    {
        if (!await store.MarkRenewalRequestedAsync(certificate.SerialNumber, certificate.RenewalRequestedAt, now, ct).ConfigureAwait(false))
        {
            logger.LogDebug("Renewal of {Serial} already requested by another CA instance", certificate.SerialNumber);
            return true;
        }
        try
        {
            await provisioner.RequestRenewalAsync(certificate, ct).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("Renewal request for {Serial} failed: {Error}", certificate.SerialNumber, e.Message);
            await store.MarkRenewalRequestedAsync(certificate.SerialNumber, now, certificate.RenewalRequestedAt, ct).ConfigureAwait(false);
            return false;
        }
    }

    private async Task<bool> RaiseAlertAsync(CertificateRecord certificate, ExpiryAlertReason why, DateTimeOffset now, CancellationToken ct)
    {
        if (!await store.MarkExpiryAlertAsync(certificate.SerialNumber, certificate.LastExpiryAlertAt, now, ct).ConfigureAwait(false))
        {
            logger.LogDebug("Expiry alert for {Serial} already raised by another CA instance", certificate.SerialNumber);
            return false;
        }
        try
        {
            await events.PublishAsync(ExpiryAlerts.Firing(certificate, why, now), ct).ConfigureAwait(false);
            logger.LogWarning("Certificate {Serial} of {Holder} expires {NotAfter:O}: alert raised ({Reason})", certificate.SerialNumber,
                certificate.Holder ?? certificate.Subject, certificate.NotAfter, why);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("Expiry alert for {Serial} not published ({Error}); the next scan tries again", certificate.SerialNumber, e.Message);
            await store.MarkExpiryAlertAsync(certificate.SerialNumber, now, certificate.LastExpiryAlertAt, ct).ConfigureAwait(false);
            return false;
        }
    }
}
