using Agents.CaAuthority.Options;
using Agents.CaAuthority.Providers;
using Agents.CaAuthority.Provisioning;
using Agents.CaAuthority.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Agents.CaAuthority.Expiry;

/// <summary>
/// Finds valid certificates expiring within ca.framework.cert.expiry.alert.period. With
/// ca.framework.cert.automatic.renewal on it asks the holder to renew (a RekeyCertificate command,
/// at most once a day); when renewal is off, impossible (no router known) or did not happen by the
/// next day, it raises an expiry AlertEvent, at most once per certificate per day. The times of
/// both are in the store, so a restart neither repeats nor forgets them. A mark is written before
/// its message is sent ("at most once"), and taken back if the broker refuses the message.
/// </summary>
public sealed class ExpiryScan(ICaStore store, CertificateProvisioner provisioner, ICaEvents events, IOptions<CaOptions> options, ILogger<ExpiryScan> logger)
{
    public static readonly TimeSpan OncePerDay = TimeSpan.FromDays(1);

    public sealed record Result(int Expiring, int RenewalsRequested, int AlertsRaised);

    public async Task<Result> ScanAsync(DateTimeOffset now, CancellationToken ct)
    {
        var expiring = await store.ExpiringAsync(now.AddDays(options.Value.ExpiryAlertPeriodDays), ct).ConfigureAwait(false);
        int renewals = 0, alerts = 0;
        foreach (var certificate in expiring)
        {
            var renewalRequested = certificate.RenewalRequestedAt is not null;
            var renewalOverdue = renewalRequested && now - certificate.RenewalRequestedAt!.Value >= OncePerDay;
            var alert = !options.Value.AutomaticRenewal || renewalOverdue || certificate.NotAfter <= now;
            if (options.Value.AutomaticRenewal && (!renewalRequested || renewalOverdue) && certificate.NotAfter > now)
            {
                if (await RequestRenewalAsync(certificate, now, ct).ConfigureAwait(false)) renewals++;
                else alert = true;
            }
            if (alert && (certificate.LastExpiryAlertAt is null || now - certificate.LastExpiryAlertAt.Value >= OncePerDay)
                && await RaiseAlertAsync(certificate, options.Value.AutomaticRenewal, now, ct).ConfigureAwait(false))
                alerts++;
        }
        if (expiring.Count > 0)
            logger.LogInformation("Expiry scan: {Expiring} certificate(s) expire within {Days} days; {Renewals} renewal request(s), {Alerts} alert(s)",
                expiring.Count, options.Value.ExpiryAlertPeriodDays, renewals, alerts);
        return new Result(expiring.Count, renewals, alerts);
    }

    private async Task<bool> RequestRenewalAsync(CertificateRecord certificate, DateTimeOffset now, CancellationToken ct)
    {
        await store.MarkRenewalRequestedAsync(certificate.SerialNumber, now, ct).ConfigureAwait(false);
        try
        {
            if (await provisioner.RequestRenewalAsync(certificate, ct).ConfigureAwait(false)) return true;
            logger.LogWarning("Certificate {Serial} of {Holder} expires {NotAfter:O} and the CA knows no router to ask for its renewal",
                certificate.SerialNumber, certificate.Holder ?? certificate.Subject, certificate.NotAfter);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("Renewal request for {Serial} failed: {Error}", certificate.SerialNumber, e.Message);
        }
        await store.MarkRenewalRequestedAsync(certificate.SerialNumber, certificate.RenewalRequestedAt, ct).ConfigureAwait(false);
        return false;
    }

    private async Task<bool> RaiseAlertAsync(CertificateRecord certificate, bool renewalRequested, DateTimeOffset now, CancellationToken ct)
    {
        await store.MarkExpiryAlertAsync(certificate.SerialNumber, now, ct).ConfigureAwait(false);
        try
        {
            await events.PublishAsync(ExpiryAlerts.Firing(certificate, renewalRequested, now), ct).ConfigureAwait(false);
            logger.LogWarning("Certificate {Serial} of {Holder} expires {NotAfter:O}: alert raised", certificate.SerialNumber,
                certificate.Holder ?? certificate.Subject, certificate.NotAfter);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("Expiry alert for {Serial} not published ({Error}); the next scan tries again", certificate.SerialNumber, e.Message);
            await store.MarkExpiryAlertAsync(certificate.SerialNumber, certificate.LastExpiryAlertAt, ct).ConfigureAwait(false);
            return false;
        }
    }
}
