using System.Data.Common;
using Agents.Contracts.Events;
using Agents.Storage;

namespace Agents.Consumers.Alerts;

/// <summary>How an <see cref="AlertGroup"/> is read from a row of alert_groups.</summary>
internal static class AlertGroupRow
{
    public const string Columns =
        "rule, group_key, state, episode, severity, type, resource_type, resource_id, subject, body, first_seen_ms, last_seen_ms, alerts_since_mail, alerts_in_episode, mails_in_episode";

    public static AlertGroup Read(DbDataReader r) => new()
    {
        Rule = r.GetString(0),
        GroupKey = r.GetString(1),
        State = Enum.Parse<AlertState>(r.GetString(2)),
        Episode = r.Long(3),
        Severity = Enum.Parse<AlertSeverity>(r.GetString(4)),
        Type = r.GetString(5),
        ResourceType = r.GetString(6),
        ResourceId = r.GetString(7),
        Subject = r.GetString(8),
        Body = r.GetString(9),
        FirstSeen = DateTimeOffset.FromUnixTimeMilliseconds(r.Long(10)),
        LastSeen = DateTimeOffset.FromUnixTimeMilliseconds(r.Long(11)),
        AlertsSinceMail = r.Long(12),
        AlertsInEpisode = r.Long(13),
        MailsInEpisode = r.Long(14),
    };
}
