using Agents.Contracts.Events;

namespace Agents.Consumers.Alerts;

/// <summary>The state of one group (rule + group key) as the alert store keeps it.</summary>
public sealed record AlertGroup
{
    public required string Rule { get; init; }
    public required string GroupKey { get; init; }
    public required AlertState State { get; init; }
    /// <summary>Counts the firing episodes of the group: a group that resolves and fires again starts a new one.</summary>
    public required long Episode { get; init; }
    public required AlertSeverity Severity { get; init; }
    public required string Type { get; init; }
    public required string ResourceType { get; init; }
    public required string ResourceId { get; init; }
    public required string Subject { get; init; }
    public required string Body { get; init; }
    public required DateTimeOffset FirstSeen { get; init; }
    public required DateTimeOffset LastSeen { get; init; }
    /// <summary>Alerts received since the last e-mail about this group.</summary>
    public required long AlertsSinceMail { get; init; }
    /// <summary>Alerts received in this episode.</summary>
    public required long AlertsInEpisode { get; init; }
    /// <summary>E-mails already queued for this episode (firing and repeats).</summary>
    public required long MailsInEpisode { get; init; }
}

/// <summary>An e-mail in the outbox: queued in the same transaction as the state that caused it, sent later.</summary>
public sealed record OutboxMail
{
    public long Id { get; init; }
    /// <summary>Unique per e-mail; also its Message-ID, so a receiving system can drop a copy.</summary>
    public required string MailId { get; init; }
    public required string Kind { get; init; }
    public required string Rule { get; init; }
    public required string GroupKey { get; init; }
    public required IReadOnlyList<string> Recipients { get; init; }
    public required string Subject { get; init; }
    public required string Body { get; init; }
    public int Attempts { get; init; }
}
