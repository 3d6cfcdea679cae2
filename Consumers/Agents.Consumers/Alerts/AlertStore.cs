using Agents.Contracts.Events;
using Microsoft.Data.Sqlite;

namespace Agents.Consumers.Alerts;

/// <summary>
/// Alert groups and the e-mail outbox in one SQLite file. An alert changes its group and, when
/// an e-mail is due at once (a resolution), queues it, in one transaction: once
/// <see cref="RecordAsync"/> returns, the delivery may be acknowledged. One writer at a time.
/// </summary>
public sealed class AlertStore : IDisposable
{
    private readonly SqliteConnection _db;
    private readonly SemaphoreSlim _gate = new(1, 1);

    public AlertStore(string databasePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        var directory = Path.GetDirectoryName(Path.GetFullPath(databasePath));
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        _db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false, DefaultTimeout = 30 }.ToString());
        _db.Open();
        Execute("PRAGMA busy_timeout = 30000; PRAGMA synchronous = FULL;");
        AlertSchema.Migrate(_db);
    }

    /// <summary>Applies the signals of one event; false (and nothing changes) when the event was recorded before.</summary>
    public Task<bool> RecordAsync(string eventId, IReadOnlyList<(AlertRule Rule, AlertSignal Signal)> matches, AlertOptions options, DateTimeOffset now, CancellationToken ct) =>
        WriteAsync(tx =>
        {
            using (var seen = Command(tx, "INSERT INTO processed_events (event_id, at_ms) VALUES ($id, $at) ON CONFLICT (event_id) DO NOTHING"))
            {
                seen.Parameters.AddWithValue("$id", eventId);
                seen.Parameters.AddWithValue("$at", now.ToUnixTimeMilliseconds());
                if (seen.ExecuteNonQuery() == 0) return false;
            }
            foreach (var (rule, signal) in matches)
            {
                var group = ReadGroup(tx, rule.Name, signal.GroupKey);
                if (signal.State == AlertState.Firing) Fire(tx, rule, signal, group, options, now);
                else if (group is { State: AlertState.Firing }) Resolve(tx, rule, signal, group, options, now);
            }
            return true;
        }, ct);

    /// <summary>Queues the e-mails whose time has come: a new group after its wait, a group still firing after the repeat interval.</summary>
    public Task<int> ScheduleDueMailAsync(Func<string, AlertRule?> ruleByName, AlertOptions options, DateTimeOffset now, CancellationToken ct) =>
        WriteAsync(tx =>
        {
            var due = new List<AlertGroup>();
            using (var select = Command(tx, $"""
                SELECT {GroupColumns} FROM alert_groups
                WHERE state = 'Firing' AND ((mail_due_ms IS NOT NULL AND mail_due_ms <= $now)
                                            OR (mails_in_episode > 0 AND last_mail_ms <= $repeatBefore))
                """))
            {
                select.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
                select.Parameters.AddWithValue("$repeatBefore", (now - TimeSpan.FromSeconds(options.RepeatIntervalSeconds)).ToUnixTimeMilliseconds());
                using var reader = select.ExecuteReader();
                while (reader.Read()) due.Add(ReadGroup(reader));
            }
            foreach (var group in due)
            {
                var rule = ruleByName(group.Rule);
                if (rule is not null)
                    Enqueue(tx, AlertMail.Compose(group.MailsInEpisode == 0 ? AlertMail.Firing : AlertMail.Repeat, group, rule, options.SubjectPrefix), now);
                using var update = Command(tx, """
                    UPDATE alert_groups SET mails_in_episode = mails_in_episode + 1, last_mail_ms = $now, mail_due_ms = NULL, alerts_since_mail = 0
                    WHERE rule = $rule AND group_key = $key
                    """);
                update.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
                update.Parameters.AddWithValue("$rule", group.Rule);
                update.Parameters.AddWithValue("$key", group.GroupKey);
                update.ExecuteNonQuery();
            }
            return due.Count;
        }, ct);

    /// <summary>E-mails not sent yet whose next attempt is due, oldest first.</summary>
    public Task<IReadOnlyList<OutboxMail>> PendingMailAsync(DateTimeOffset now, int limit, CancellationToken ct) =>
        WriteAsync<IReadOnlyList<OutboxMail>>(tx =>
        {
            using var select = Command(tx, """
                SELECT id, mail_id, kind, rule, group_key, recipients, subject, body, attempts FROM outbox
                WHERE sent_ms IS NULL AND next_attempt_ms <= $now ORDER BY id LIMIT $limit
                """);
            select.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            select.Parameters.AddWithValue("$limit", limit);
            var mails = new List<OutboxMail>();
            using var r = select.ExecuteReader();
            while (r.Read())
                mails.Add(new OutboxMail
                {
                    Id = r.GetInt64(0), MailId = r.GetString(1), Kind = r.GetString(2), Rule = r.GetString(3), GroupKey = r.GetString(4),
                    Recipients = r.GetString(5).Split(',', StringSplitOptions.RemoveEmptyEntries),
                    Subject = r.GetString(6), Body = r.GetString(7), Attempts = r.GetInt32(8),
                });
            return mails;
        }, ct);

    public Task MarkSentAsync(long id, DateTimeOffset now, CancellationToken ct) =>
        WriteAsync(tx =>
        {
            using var update = Command(tx, "UPDATE outbox SET sent_ms = $now, attempts = attempts + 1, last_error = NULL WHERE id = $id");
            update.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            update.Parameters.AddWithValue("$id", id);
            return update.ExecuteNonQuery();
        }, ct);

    public Task MarkFailedAsync(long id, string error, DateTimeOffset nextAttempt, CancellationToken ct) =>
        WriteAsync(tx =>
        {
            using var update = Command(tx, "UPDATE outbox SET attempts = attempts + 1, last_error = $error, next_attempt_ms = $next WHERE id = $id");
            update.Parameters.AddWithValue("$error", error);
            update.Parameters.AddWithValue("$next", nextAttempt.ToUnixTimeMilliseconds());
            update.Parameters.AddWithValue("$id", id);
            return update.ExecuteNonQuery();
        }, ct);

    /// <summary>Forgets delivery ids and sent e-mails older than <paramref name="before"/>.</summary>
    public Task PruneAsync(DateTimeOffset before, CancellationToken ct) =>
        WriteAsync(tx =>
        {
            using var prune = Command(tx, "DELETE FROM processed_events WHERE at_ms < $before; DELETE FROM outbox WHERE sent_ms IS NOT NULL AND sent_ms < $before;");
            prune.Parameters.AddWithValue("$before", before.ToUnixTimeMilliseconds());
            return prune.ExecuteNonQuery();
        }, ct);

    /// <summary>How many e-mails wait in the outbox and how many went out.</summary>
    public Task<(long Pending, long Sent)> OutboxCountsAsync(CancellationToken ct) =>
        WriteAsync(tx =>
        {
            using var count = Command(tx, "SELECT COUNT(*) FILTER (WHERE sent_ms IS NULL), COUNT(*) FILTER (WHERE sent_ms IS NOT NULL) FROM outbox");
            using var r = count.ExecuteReader();
            r.Read();
            return (r.GetInt64(0), r.GetInt64(1));
        }, ct);

    public Task<AlertGroup?> GroupAsync(string rule, string groupKey, CancellationToken ct) =>
        WriteAsync(tx => ReadGroup(tx, rule, groupKey), ct);

    public void Dispose()
    {
        _db.Dispose();
        _gate.Dispose();
    }

    private static void Fire(SqliteTransaction tx, AlertRule rule, AlertSignal s, AlertGroup? group, AlertOptions options, DateTimeOffset now)
    {
        var severity = s.Severity ?? rule.SeverityLevel;
        if (severity < rule.MinSeverityLevel) return;
        if (group is null || group.State == AlertState.Resolved)
        {
            using var upsert = Command(tx, """
                INSERT INTO alert_groups (rule, group_key, state, episode, severity, type, resource_type, resource_id, subject, body,
                                          first_seen_ms, last_seen_ms, alerts_since_mail, alerts_in_episode, mails_in_episode, mail_due_ms, last_mail_ms)
                VALUES ($rule, $key, 'Firing', $episode, $severity, $type, $rtype, $rid, $subject, $body, $now, $now, 1, 1, 0, $due, NULL)
                ON CONFLICT (rule, group_key) DO UPDATE SET
                    state = 'Firing', episode = excluded.episode, severity = excluded.severity, type = excluded.type,
                    resource_type = excluded.resource_type, resource_id = excluded.resource_id, subject = excluded.subject, body = excluded.body,
                    first_seen_ms = excluded.first_seen_ms, last_seen_ms = excluded.last_seen_ms, alerts_since_mail = 1, alerts_in_episode = 1,
                    mails_in_episode = 0, mail_due_ms = excluded.mail_due_ms, last_mail_ms = NULL
                """);
            AddSignal(upsert, rule, s, severity, now);
            upsert.Parameters.AddWithValue("$episode", (group?.Episode ?? 0) + 1);
            upsert.Parameters.AddWithValue("$due", (now + TimeSpan.FromSeconds(options.GroupWaitSeconds)).ToUnixTimeMilliseconds());
            upsert.ExecuteNonQuery();
            return;
        }
        using var update = Command(tx, """
            UPDATE alert_groups SET severity = $severity, subject = $subject, body = $body, last_seen_ms = $now,
                alerts_since_mail = alerts_since_mail + 1, alerts_in_episode = alerts_in_episode + 1
            WHERE rule = $rule AND group_key = $key
            """);
        AddSignal(update, rule, s, severity > group.Severity ? severity : group.Severity, now);
        update.ExecuteNonQuery();
    }

    private static void Resolve(SqliteTransaction tx, AlertRule rule, AlertSignal s, AlertGroup group, AlertOptions options, DateTimeOffset now)
    {
        if (group.MailsInEpisode > 0)
        {
            var resolved = group with { State = AlertState.Resolved, Subject = s.Subject, Body = s.Body, LastSeen = now };
            Enqueue(tx, AlertMail.Compose(AlertMail.Resolved, resolved, rule, options.SubjectPrefix), now);
        }
        using var update = Command(tx, "UPDATE alert_groups SET state = 'Resolved', mail_due_ms = NULL, last_seen_ms = $now WHERE rule = $rule AND group_key = $key");
        update.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        update.Parameters.AddWithValue("$rule", rule.Name);
        update.Parameters.AddWithValue("$key", group.GroupKey);
        update.ExecuteNonQuery();
    }

    private static void AddSignal(SqliteCommand c, AlertRule rule, AlertSignal s, AlertSeverity severity, DateTimeOffset now)
    {
        c.Parameters.AddWithValue("$rule", rule.Name);
        c.Parameters.AddWithValue("$key", s.GroupKey);
        c.Parameters.AddWithValue("$severity", severity.ToString());
        c.Parameters.AddWithValue("$type", s.Type);
        c.Parameters.AddWithValue("$rtype", s.ResourceType);
        c.Parameters.AddWithValue("$rid", s.ResourceId);
        c.Parameters.AddWithValue("$subject", s.Subject);
        c.Parameters.AddWithValue("$body", s.Body);
        c.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
    }

    private static void Enqueue(SqliteTransaction tx, OutboxMail mail, DateTimeOffset now)
    {
        using var insert = Command(tx, """
            INSERT INTO outbox (mail_id, kind, rule, group_key, recipients, subject, body, created_ms, next_attempt_ms)
            VALUES ($mid, $kind, $rule, $key, $to, $subject, $body, $now, $now) ON CONFLICT (mail_id) DO NOTHING
            """);
        insert.Parameters.AddWithValue("$mid", mail.MailId);
        insert.Parameters.AddWithValue("$kind", mail.Kind);
        insert.Parameters.AddWithValue("$rule", mail.Rule);
        insert.Parameters.AddWithValue("$key", mail.GroupKey);
        insert.Parameters.AddWithValue("$to", string.Join(',', mail.Recipients));
        insert.Parameters.AddWithValue("$subject", mail.Subject);
        insert.Parameters.AddWithValue("$body", mail.Body);
        insert.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        insert.ExecuteNonQuery();
    }

    private const string GroupColumns =
        "rule, group_key, state, episode, severity, type, resource_type, resource_id, subject, body, first_seen_ms, last_seen_ms, alerts_since_mail, alerts_in_episode, mails_in_episode";

    private static AlertGroup? ReadGroup(SqliteTransaction tx, string rule, string key)
    {
        using var select = Command(tx, $"SELECT {GroupColumns} FROM alert_groups WHERE rule = $rule AND group_key = $key");
        select.Parameters.AddWithValue("$rule", rule);
        select.Parameters.AddWithValue("$key", key);
        using var reader = select.ExecuteReader();
        return reader.Read() ? ReadGroup(reader) : null;
    }

    private static AlertGroup ReadGroup(SqliteDataReader r) => new()
    {
        Rule = r.GetString(0),
        GroupKey = r.GetString(1),
        State = Enum.Parse<AlertState>(r.GetString(2)),
        Episode = r.GetInt64(3),
        Severity = Enum.Parse<AlertSeverity>(r.GetString(4)),
        Type = r.GetString(5),
        ResourceType = r.GetString(6),
        ResourceId = r.GetString(7),
        Subject = r.GetString(8),
        Body = r.GetString(9),
        FirstSeen = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(10)),
        LastSeen = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(11)),
        AlertsSinceMail = r.GetInt64(12),
        AlertsInEpisode = r.GetInt64(13),
        MailsInEpisode = r.GetInt64(14),
    };

    private async Task<T> WriteAsync<T>(Func<SqliteTransaction, T> work, CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            using var tx = _db.BeginTransaction();
            var result = work(tx);
            tx.Commit();
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    private static SqliteCommand Command(SqliteTransaction tx, string sql)
    {
        var command = tx.Connection!.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        return command;
    }

    private void Execute(string sql)
    {
        using var command = _db.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
