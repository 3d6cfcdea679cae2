using Agents.Contracts.Protocol;
using Agents.VmAgent.Core.Identity;
using Agents.VmAgent.Core.Logging;

namespace Agents.VmAgent.Core.Client;

public sealed partial class AgentClient
{
    /// <summary>Renews over the live session with a fresh key; with <paramref name="reconnect"/> the next session uses the new certificate at once.</summary>
    public async Task RenewAsync(bool reconnect, CancellationToken ct)
    {
        var session = _session ?? throw new InvalidOperationException("not connected to a router");
        await _renewing.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var (key, csr) = AgentIdentityStore.NewKeyAndCsr();
            using (key)
            {
                var answer = new TaskCompletionSource<Frame>(TaskCreationOptions.RunContinuationsAsynchronously);
                session.PendingRenewal = answer;
                await session.Connection.WriteAsync(new RenewFrame(csr), ct).ConfigureAwait(false);
                var frame = await answer.Task.WaitAsync(_options.RenewalAnswerTimeout, ct).ConfigureAwait(false);
                session.PendingRenewal = null;
                if (frame is RenewRefusedFrame refused) throw new InvalidOperationException($"renewal refused: {refused.Reason}");
                var renewed = (RenewedFrame)frame;
                using var stored = _identity.Save(key, renewed.CertificatePem, renewed.CaCertificatePem);
                _log.Info("certificate renewed: {SerialNumber} valid until {NotAfter:O}", stored.SerialNumber, stored.NotAfter);
            }
            if (reconnect) session.RequestReconnect();
        }
        finally
        {
            _renewing.Release();
        }
    }

    private async Task RenewInBackgroundAsync(bool reconnect, string why)
    {
        try
        {
            _log.Info("renewing the certificate: {Reason}", why);
            await RenewAsync(reconnect, _stopping).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LastError = $"renewal failed: {e.Message}";
            _log.Warn(e, "{Error}", LastError);
        }
    }

    /// <summary>Waits for about 2/3 of the certificate's lifetime (with jitter), then renews and reconnects.</summary>
    private async Task RenewalLoopAsync(AgentSession session)
    {
        try
        {
            while (!session.Token.IsCancellationRequested)
            {
                using (var certificate = _identity.Load())
                {
                    if (certificate is null) return;
                    var due = RenewalDue(certificate.NotBefore.ToUniversalTime(), certificate.NotAfter.ToUniversalTime());
                    var wait = due - DateTimeOffset.UtcNow;
                    if (wait > TimeSpan.Zero)
                    {
                        // Task.Delay's limit is ~49 days; long certificates wake up and look again
                        await Task.Delay(wait < TimeSpan.FromDays(30) ? wait : TimeSpan.FromDays(30), session.Token).ConfigureAwait(false);
                        continue;
                    }
                }
                await RenewInBackgroundAsync(reconnect: true, "two thirds of its lifetime have passed").ConfigureAwait(false);
                if (session.ReconnectRequested) return;
                await Task.Delay(TimeSpan.FromSeconds(30), session.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // session over
        }
    }

    private DateTimeOffset RenewalDue(DateTime notBefore, DateTime notAfter)
    {
        var lifetime = notAfter - notBefore;
        var jitter = lifetime * 0.05 * ((Random.Shared.NextDouble() * 2) - 1);
        return new DateTimeOffset(notBefore, TimeSpan.Zero) + (lifetime * _options.RenewAtFraction) + jitter;
    }
}
