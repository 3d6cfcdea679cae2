using Agents.Consumers.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Agents.Contracts;

namespace Agents.Consumers.Alerts;

/// <summary>
/// Turns due groups into e-mails and sends the outbox, oldest first. An e-mail is marked sent
/// only after the SMTP server took it; while the server fails, the e-mail waits with a growing
/// delay (capped at Alerts:MaxRetryDelaySeconds) and nothing behind it is tried.
/// </summary>
public sealed class AlertDispatcher(
    AlertGroupStore groups,
    MailOutbox outbox,
    IMailSender sender,
    ConsumersMetrics metrics,
    IOptions<AlertOptions> options,
    ILogger<AlertDispatcher> logger) : BackgroundService
{
    private readonly SemaphoreSlim _wake = new(0, int.MaxValue);

    /// <summary>Look at the outbox now rather than at the next poll.</summary>
    public void Wake()
    {
        if (_wake.CurrentCount == 0) _wake.Release();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        var lastPrune = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var now = DateTimeOffset.UtcNow;
                await groups.ScheduleDueMailAsync(RuleByName, o, now, stoppingToken).ConfigureAwait(false);
                await SendPendingAsync(stoppingToken).ConfigureAwait(false);
                if (now - lastPrune > TimeSpan.FromHours(1))
                {
                    var before = now - TimeSpan.FromDays(o.DeduplicationDays);
                    await groups.ForgetProcessedAsync(before, stoppingToken).ConfigureAwait(false);
                    await outbox.PruneSentAsync(before, stoppingToken).ConfigureAwait(false);
                    lastPrune = now;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Alert outbox pass failed; trying again at the next poll");
            }
            try { await _wake.WaitAsync(TimeSpan.FromSeconds(o.PollIntervalSeconds), stoppingToken).ConfigureAwait(false); }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>How long a taken e-mail is left to its sender before another instance may take it (longer than any SMTP exchange).</summary>
    private static readonly TimeSpan ClaimTime = TimeSpan.FromMinutes(2);

    private AlertRule? RuleByName(string name) => options.Value.Rules.FirstOrDefault(r => r.Name == name);

    private async Task SendPendingAsync(CancellationToken ct)
    {
        while (true)
        {
            var batch = await outbox.PendingAsync(DateTimeOffset.UtcNow, 50, ct).ConfigureAwait(false);
            if (batch.Count == 0) return;
            foreach (var mail in batch)
            {
                using var scope = logger.BeginScope(new Dictionary<string, object> { ["MailId"] = mail.MailId, ["GroupKey"] = mail.GroupKey });
                var now = DateTimeOffset.UtcNow;
                // consumer instances sharing the database poll one outbox: each e-mail is sent by the one that takes it
                if (!await outbox.ClaimAsync(mail.Id, now, now + ClaimTime, ct).ConfigureAwait(false)) continue;
                try
                {
                    await sender.SendAsync(mail, ct).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    var delay = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(options.Value.MaxRetryDelaySeconds)).Delay(mail.Attempts);
                    // a failed server fails every e-mail: leave the rest of the outbox untouched until the next attempt
                    metrics.Failed(mail.Kind);
                    await outbox.MarkFailedAsync(mail.Id, e.GetBaseException().Message, DateTimeOffset.UtcNow + delay, CancellationToken.None).ConfigureAwait(false);
                    logger.LogWarning("Alert e-mail {MailId} ({Kind}, group {GroupKey}) not sent, attempt {Attempt}: {Error}; next try in {Delay}",
                        mail.MailId, mail.Kind, mail.GroupKey, mail.Attempts + 1, e.GetBaseException().Message, delay);
                    return;
                }
                await outbox.MarkSentAsync(mail.Id, DateTimeOffset.UtcNow, CancellationToken.None).ConfigureAwait(false);
                metrics.Sent(mail.Kind);
                logger.LogInformation("Alert e-mail {MailId} ({Kind}) sent to {Recipients}: {Subject}",
                    mail.MailId, mail.Kind, string.Join(", ", mail.Recipients), mail.Subject);
            }
        }
    }
}
