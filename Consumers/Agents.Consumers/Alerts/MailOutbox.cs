using System.Data.Common;
using Agents.Storage;

namespace Agents.Consumers.Alerts;

/// <summary>
/// The e-mail outbox: a mail is queued in the same transaction as the group change that caused
/// it (<see cref="EnqueueAsync"/>), and sent later by the dispatcher, which marks it sent or failed.
/// </summary>
public sealed class MailOutbox(Database db)
{
    public Database Database => db;

    /// <summary>Queues <paramref name="mail"/> in <paramref name="tx"/>; a mail id already queued is kept as it is.</summary>
    public static Task EnqueueAsync(DbTransaction tx, SqlDialect dialect, OutboxMail mail, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        ArgumentNullException.ThrowIfNull(mail);
        return tx.ExecuteAsync(
            $"""
            {dialect.InsertIgnore} INTO outbox (mail_id, kind, rule, group_key, recipients, subject, body, created_ms, next_attempt_ms)
            VALUES (@mid, @kind, @rule, @key, @to, @subject, @body, @now, @now)
            """,
            ("@mid", mail.MailId), ("@kind", mail.Kind), ("@rule", mail.Rule), ("@key", mail.GroupKey), ("@to", string.Join(',', mail.Recipients)),
            ("@subject", mail.Subject), ("@body", mail.Body), ("@now", now.ToUnixTimeMilliseconds()));
    }

    /// <summary>E-mails not sent yet whose next attempt is due, oldest first.</summary>
    public async Task<IReadOnlyList<OutboxMail>> PendingAsync(DateTimeOffset now, int limit, CancellationToken ct) =>
        await db.QueryAsync(
            """
            SELECT id, mail_id, kind, rule, group_key, recipients, subject, body, attempts FROM outbox
            WHERE sent_ms IS NULL AND next_attempt_ms <= @now ORDER BY id LIMIT @limit
            """,
            r => new OutboxMail
            {
                Id = r.Long(0), MailId = r.GetString(1), Kind = r.GetString(2), Rule = r.GetString(3), GroupKey = r.GetString(4),
                Recipients = r.GetString(5).Split(',', StringSplitOptions.RemoveEmptyEntries),
                Subject = r.GetString(6), Body = r.GetString(7), Attempts = r.Int(8),
            },
            ("@now", now.ToUnixTimeMilliseconds()), ("@limit", limit)).ConfigureAwait(false);

    /// <summary>
    /// Takes a due e-mail for sending: its next attempt moves to <paramref name="until"/>, so no other
    /// instance on the database sends it meanwhile; false when another instance took it first. A
    /// sender that dies before marking it sent or failed leaves it to be taken again after that time.
    /// </summary>
    public async Task<bool> ClaimAsync(long id, DateTimeOffset now, DateTimeOffset until, CancellationToken ct) =>
        await db.ExecuteAsync("UPDATE outbox SET next_attempt_ms = @until WHERE id = @id AND sent_ms IS NULL AND next_attempt_ms <= @now",
            ("@until", until.ToUnixTimeMilliseconds()), ("@id", id), ("@now", now.ToUnixTimeMilliseconds())).ConfigureAwait(false) == 1;

    public Task MarkSentAsync(long id, DateTimeOffset now, CancellationToken ct) =>
        db.ExecuteAsync("UPDATE outbox SET sent_ms = @now, attempts = attempts + 1, last_error = NULL WHERE id = @id",
            ("@now", now.ToUnixTimeMilliseconds()), ("@id", id));

    public Task MarkFailedAsync(long id, string error, DateTimeOffset nextAttempt, CancellationToken ct) =>
        db.ExecuteAsync("UPDATE outbox SET attempts = attempts + 1, last_error = @error, next_attempt_ms = @next WHERE id = @id",
            ("@error", error), ("@next", nextAttempt.ToUnixTimeMilliseconds()), ("@id", id));

    /// <summary>How many e-mails wait and how many went out.</summary>
    public async Task<(long Pending, long Sent)> CountsAsync(CancellationToken ct)
    {
        var rows = await db.QueryAsync(
            "SELECT COALESCE(SUM(CASE WHEN sent_ms IS NULL THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN sent_ms IS NULL THEN 0 ELSE 1 END), 0) FROM outbox",
            r => (r.Long(0), r.Long(1))).ConfigureAwait(false);
        return rows[0];
    }

    /// <summary>Forgets e-mails sent before <paramref name="before"/>.</summary>
    public Task<int> PruneSentAsync(DateTimeOffset before, CancellationToken ct) =>
        db.ExecuteAsync("DELETE FROM outbox WHERE sent_ms IS NOT NULL AND sent_ms < @before", ("@before", before.ToUnixTimeMilliseconds()));
}
