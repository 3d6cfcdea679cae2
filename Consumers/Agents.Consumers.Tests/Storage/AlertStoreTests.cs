using Agents.Consumers.Alerts;
using Agents.Contracts.Events;
using Agents.Storage;
using Agents.Testing;

namespace Agents.Consumers.Tests.Storage;

/// <summary>The alert groups and the e-mail outbox on every engine: grouping, throttling, the outbox's sends and pruning.</summary>
public abstract class AlertStoreTests(StoreEngine engine)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private readonly AlertOptions _options = new() { GroupWaitSeconds = 30, RepeatIntervalSeconds = 3600, SubjectPrefix = "[test]" };
    private readonly AlertRule _rule = new() { Name = "routers", Recipients = ["ops@example.org"] };

    private async Task<(AlertGroupStore Groups, MailOutbox Outbox)> OpenAsync()
    {
        var db = await engine.DatabaseAsync(GetType().Name);
        await SchemaMigrator.MigrateAsync(db, AlertGroupStore.Schema);
        return (new AlertGroupStore(db), new MailOutbox(db));
    }

    private AlertSignal Signal(string id, AlertState state, DateTimeOffset at, string group = "r-1") => new()
    {
        EventId = $"{_run}-{id}", Category = EventCategory.AlertEvent, Type = "ALERT.ROUTER.HEALTH", State = state, Severity = AlertSeverity.Critical,
        GroupKey = $"{_run}-{group}", ResourceType = "DomainRouter", ResourceId = group, Subject = $"router {group} {state}", Body = "disk full", At = at,
    };

    private Task<bool> RecordAsync(AlertGroupStore groups, AlertSignal s, DateTimeOffset now) =>
        groups.RecordAsync(s.EventId, [(_rule, s)], _options, now, default);

    private Func<string, AlertRule?> Rules => name => name == _rule.Name ? _rule : null;

    private async Task<List<OutboxMail>> MineAsync(MailOutbox outbox, DateTimeOffset now) =>
        [.. (await outbox.PendingAsync(now, 1000, default)).Where(m => m.GroupKey.StartsWith(_run, StringComparison.Ordinal))];

    [Fact]
    public async Task alerts_of_one_group_become_one_email_after_the_wait_and_a_redelivery_changes_nothing()
    {
        var (groups, outbox) = await OpenAsync();
        Assert.True(await RecordAsync(groups, Signal("a", AlertState.Firing, T0), T0));
        Assert.True(await RecordAsync(groups, Signal("b", AlertState.Firing, T0.AddSeconds(5)), T0.AddSeconds(5)));
        Assert.False(await RecordAsync(groups, Signal("b", AlertState.Firing, T0.AddSeconds(6)), T0.AddSeconds(6)));

        await groups.ScheduleDueMailAsync(Rules, _options, T0.AddSeconds(10), default);
        Assert.Empty(await MineAsync(outbox, T0.AddSeconds(10)));
        await groups.ScheduleDueMailAsync(Rules, _options, T0.AddSeconds(31), default);
        var mail = Assert.Single(await MineAsync(outbox, T0.AddSeconds(31)));
        Assert.Equal(AlertMail.Firing, mail.Kind);
        Assert.Equal(["ops@example.org"], mail.Recipients);

        var group = (await groups.GroupAsync(_rule.Name, $"{_run}-r-1", default))!;
        Assert.Equal((AlertState.Firing, 2L, 1L, 0L), (group.State, group.AlertsInEpisode, group.MailsInEpisode, group.AlertsSinceMail));
    }

    [Fact]
    public async Task a_resolution_after_an_email_queues_the_resolved_email_in_the_same_transaction()
    {
        var (groups, outbox) = await OpenAsync();
        await RecordAsync(groups, Signal("f", AlertState.Firing, T0, "r-2"), T0);
        await groups.ScheduleDueMailAsync(Rules, _options, T0.AddSeconds(31), default);
        await RecordAsync(groups, Signal("r", AlertState.Resolved, T0.AddMinutes(2), "r-2"), T0.AddMinutes(2));

        Assert.Equal([AlertMail.Firing, AlertMail.Resolved], (await MineAsync(outbox, T0.AddMinutes(2))).Select(m => m.Kind));
        Assert.Equal(AlertState.Resolved, (await groups.GroupAsync(_rule.Name, $"{_run}-r-2", default))!.State);

        // fires again: a new episode, counted from one
        await RecordAsync(groups, Signal("f2", AlertState.Firing, T0.AddMinutes(3), "r-2"), T0.AddMinutes(3));
        var again = (await groups.GroupAsync(_rule.Name, $"{_run}-r-2", default))!;
        Assert.Equal((2L, 1L, 0L), (again.Episode, again.AlertsInEpisode, again.MailsInEpisode));
    }

    [Fact]
    public async Task the_outbox_retries_a_failed_email_later_and_forgets_sent_ones_when_pruned()
    {
        var (groups, outbox) = await OpenAsync();
        await RecordAsync(groups, Signal("x", AlertState.Firing, T0, "r-3"), T0);
        await groups.ScheduleDueMailAsync(Rules, _options, T0.AddSeconds(31), default);
        var mail = Assert.Single(await MineAsync(outbox, T0.AddSeconds(31)));

        await outbox.MarkFailedAsync(mail.Id, "421 try later", T0.AddMinutes(5), default);
        Assert.Empty(await MineAsync(outbox, T0.AddMinutes(1)));
        var retried = Assert.Single(await MineAsync(outbox, T0.AddMinutes(5)));
        Assert.Equal(1, retried.Attempts);

        await outbox.MarkSentAsync(mail.Id, T0.AddMinutes(5), default);
        Assert.Empty(await MineAsync(outbox, T0.AddDays(1)));
        var (_, sent) = await outbox.CountsAsync(default);
        Assert.True(sent >= 1);
        Assert.True(await outbox.PruneSentAsync(T0.AddDays(1), default) >= 1);
        Assert.True(await groups.ForgetProcessedAsync(T0.AddDays(1), default) >= 1);
        // the delivery id was forgotten: the same event counts as new again
        Assert.True(await RecordAsync(groups, Signal("x", AlertState.Firing, T0, "r-3"), T0.AddDays(1)));
    }

    [Fact]
    public async Task two_instances_recording_the_same_delivery_at_once_apply_it_once()
    {
        var (a, _) = await OpenAsync();
        var (b, _) = await OpenAsync();
        var signal = Signal("once", AlertState.Firing, T0, "r-4");
        var recorded = await Task.WhenAll(RecordAsync(a, signal, T0), RecordAsync(b, signal, T0));
        Assert.Single(recorded, r => r);
        Assert.Equal(1L, (await a.GroupAsync(_rule.Name, $"{_run}-r-4", default))!.AlertsInEpisode);
    }
}

public sealed class AlertStoreOnSqlite(SqliteEngine engine) : AlertStoreTests(engine), IClassFixture<SqliteEngine>;

[Collection(MariaDbFixture.Collection)]
public sealed class AlertStoreOnMariaDb(MariaDbFixture engine) : AlertStoreTests(engine);
