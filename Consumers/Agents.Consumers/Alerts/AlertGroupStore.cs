using System.Data.Common;
using Agents.Contracts.Events;
using Agents.Storage;

namespace Agents.Consumers.Alerts;

/// <summary>
/// The grouping rules in SQL: an alert changes its group and, when an e-mail is due at once (a
/// resolution), queues it in the <see cref="MailOutbox"/>, in one transaction; once
/// <see cref="RecordAsync"/> returns the delivery may be acknowledged. Rows read before a change
/// are locked (<see cref="SqlDialect.ForUpdate"/>), so instances sharing the database take turns.
/// </summary>
public sealed class AlertGroupStore(Database db)
{
    public static readonly StoreSchema Schema = new("alerts", typeof(Migrations.CreateAlertTables));

    public Database Database => db;

    /// <summary>
    /// Applies the signals of one event; false (and nothing changes) when the event was recorded before.
    /// <paramref name="folds"/>, when given, receives what each firing signal did to its group (for the metrics).
    /// </summary>
    public Task<bool> RecordAsync(string eventId, IReadOnlyList<(AlertRule Rule, AlertSignal Signal)> matches, AlertOptions options, DateTimeOffset now, CancellationToken ct,
        ICollection<(string Rule, AlertFold Fold)>? folds = null) =>
        db.InTransactionAsync(async tx =>
        {
            folds?.Clear();
            var seen = await tx.ExecuteAsync($"{db.Dialect.InsertIgnore} INTO processed_events (event_id, at_ms) VALUES (@id, @at)",
                ("@id", eventId), ("@at", now.ToUnixTimeMilliseconds())).ConfigureAwait(false);
            if (seen == 0) return false;
            foreach (var (rule, signal) in matches)
            {
                var group = await ReadAsync(tx, rule.Name, signal.GroupKey).ConfigureAwait(false);
                if (signal.State == AlertState.Firing)
                {
                    if (await FireAsync(tx, rule, signal, group, options, now).ConfigureAwait(false) is { } fold) folds?.Add((rule.Name, fold));
                }
                else if (group is { State: AlertState.Firing }) await ResolveAsync(tx, rule, signal, group, options, now).ConfigureAwait(false);
            }
            return true;
        }, ct);

    /// <summary>Queues the e-mails whose time has come: a new group after its wait, a group still firing after the repeat interval.</summary>
    public Task<int> ScheduleDueMailAsync(Func<string, AlertRule?> ruleByName, AlertOptions options, DateTimeOffset now, CancellationToken ct) =>
        db.InTransactionAsync(async tx =>
        {
            var due = await tx.QueryAsync(
                $"""
                SELECT {AlertGroupRow.Columns} FROM alert_groups
                WHERE state = 'Firing' AND ((mail_due_ms IS NOT NULL AND mail_due_ms <= @now)
                                            OR (mails_in_episode > 0 AND last_mail_ms <= @repeatBefore)){db.Dialect.ForUpdate}
                """,
                AlertGroupRow.Read,
                ("@now", now.ToUnixTimeMilliseconds()),
                ("@repeatBefore", (now - TimeSpan.FromSeconds(options.RepeatIntervalSeconds)).ToUnixTimeMilliseconds())).ConfigureAwait(false);
            foreach (var group in due)
            {
                if (ruleByName(group.Rule) is { } rule)
                    await MailOutbox.EnqueueAsync(tx, db.Dialect,
                        AlertMail.Compose(group.MailsInEpisode == 0 ? AlertMail.Firing : AlertMail.Repeat, group, rule, options.SubjectPrefix), now).ConfigureAwait(false);
                await tx.ExecuteAsync(
                    """
                    UPDATE alert_groups SET mails_in_episode = mails_in_episode + 1, last_mail_ms = @now, mail_due_ms = NULL, alerts_since_mail = 0
                    WHERE rule = @rule AND group_key = @key
                    """,
                    ("@now", now.ToUnixTimeMilliseconds()), ("@rule", group.Rule), ("@key", group.GroupKey)).ConfigureAwait(false);
            }
            return due.Count;
        }, ct);

    public async Task<AlertGroup?> GroupAsync(string rule, string groupKey, CancellationToken ct) =>
        (await db.QueryAsync($"SELECT {AlertGroupRow.Columns} FROM alert_groups WHERE rule = @rule AND group_key = @key", AlertGroupRow.Read,
            ("@rule", rule), ("@key", groupKey)).ConfigureAwait(false)).FirstOrDefault();

    /// <summary>Forgets the delivery ids seen before <paramref name="before"/> (a redelivery older than that is taken as new).</summary>
    public Task<int> ForgetProcessedAsync(DateTimeOffset before, CancellationToken ct) =>
        db.ExecuteAsync("DELETE FROM processed_events WHERE at_ms < @before", ("@before", before.ToUnixTimeMilliseconds()));

    private async Task<AlertGroup?> ReadAsync(DbTransaction tx, string rule, string key) =>
        (await tx.QueryAsync($"SELECT {AlertGroupRow.Columns} FROM alert_groups WHERE rule = @rule AND group_key = @key{db.Dialect.ForUpdate}",
            AlertGroupRow.Read, ("@rule", rule), ("@key", key)).ConfigureAwait(false)).FirstOrDefault();

    /// <summary>The signal in its group; what it did to the group, or null when its severity is below the rule's minimum.</summary>
    private static async Task<AlertFold?> FireAsync(DbTransaction tx, AlertRule rule, AlertSignal s, AlertGroup? group, AlertOptions options, DateTimeOffset now)
    {
        var severity = s.Severity ?? rule.SeverityLevel;
        if (severity < rule.MinSeverityLevel) return null;
        if (group is null || group.State == AlertState.Resolved)
        {
            // a new episode: the row is replaced whole (delete + insert is the same on both engines)
            await tx.ExecuteAsync("DELETE FROM alert_groups WHERE rule = @rule AND group_key = @key", ("@rule", rule.Name), ("@key", s.GroupKey)).ConfigureAwait(false);
            await tx.ExecuteAsync(
                """
                INSERT INTO alert_groups (rule, group_key, state, episode, severity, type, resource_type, resource_id, subject, body,
                                          first_seen_ms, last_seen_ms, alerts_since_mail, alerts_in_episode, mails_in_episode, mail_due_ms, last_mail_ms)
                VALUES (@rule, @key, 'Firing', @episode, @severity, @type, @rtype, @rid, @subject, @body, @now, @now, 1, 1, 0, @due, NULL)
                """,
                [.. Signal(rule, s, severity, now), ("@episode", (group?.Episode ?? 0) + 1),
                 ("@due", (now + TimeSpan.FromSeconds(options.GroupWaitSeconds)).ToUnixTimeMilliseconds())]).ConfigureAwait(false);
            return AlertFold.Opened;
        }
        await tx.ExecuteAsync(
            """
            UPDATE alert_groups SET severity = @severity, subject = @subject, body = @body, last_seen_ms = @now,
                alerts_since_mail = alerts_since_mail + 1, alerts_in_episode = alerts_in_episode + 1
            WHERE rule = @rule AND group_key = @key
            """,
            Signal(rule, s, severity > group.Severity ? severity : group.Severity, now)).ConfigureAwait(false);
        return group.MailsInEpisode == 0 ? AlertFold.Grouped : AlertFold.Throttled;
    }

    private async Task ResolveAsync(DbTransaction tx, AlertRule rule, AlertSignal s, AlertGroup group, AlertOptions options, DateTimeOffset now)
    {
        if (group.MailsInEpisode > 0)
        {
            var resolved = group with { State = AlertState.Resolved, Subject = s.Subject, Body = s.Body, LastSeen = now };
            await MailOutbox.EnqueueAsync(tx, db.Dialect, AlertMail.Compose(AlertMail.Resolved, resolved, rule, options.SubjectPrefix), now).ConfigureAwait(false);
        }
        await tx.ExecuteAsync("UPDATE alert_groups SET state = 'Resolved', mail_due_ms = NULL, last_seen_ms = @now WHERE rule = @rule AND group_key = @key",
            ("@now", now.ToUnixTimeMilliseconds()), ("@rule", rule.Name), ("@key", group.GroupKey)).ConfigureAwait(false);
    }

    private static (string, object?)[] Signal(AlertRule rule, AlertSignal s, AlertSeverity severity, DateTimeOffset now) =>
    [
        ("@rule", rule.Name), ("@key", s.GroupKey), ("@severity", severity.ToString()), ("@type", s.Type), ("@rtype", s.ResourceType),
        ("@rid", s.ResourceId), ("@subject", s.Subject), ("@body", s.Body), ("@now", now.ToUnixTimeMilliseconds()),
    ];
}
