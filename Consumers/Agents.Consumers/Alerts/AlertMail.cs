using System.Globalization;
using System.Text;

namespace Agents.Consumers.Alerts;

/// <summary>The text of alert e-mails: subject with state and severity, body naming the resource and what to do.</summary>
public static class AlertMail
{
    public const string Firing = "firing";
    public const string Repeat = "repeat";
    public const string Resolved = "resolved";

    public static OutboxMail Compose(string kind, AlertGroup g, AlertRule rule, string subjectPrefix)
    {
        var state = kind switch
        {
            Resolved => "RESOLVED",
            Repeat => $"FIRING:{g.Severity}, still",
            _ => $"FIRING:{g.Severity}",
        };
        var subject = $"{(string.IsNullOrEmpty(subjectPrefix) ? "" : subjectPrefix + " ")}[{state}] {g.Subject}";
        var body = new StringBuilder()
            .AppendLine(kind == Resolved ? "Resolved: the condition has cleared." : "Firing: the condition holds.")
            .AppendLine()
            .AppendLine(g.Body.TrimEnd())
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Resource:   {g.ResourceType} {g.ResourceId}")
            .AppendLine(CultureInfo.InvariantCulture, $"Alert:      {g.Type}")
            .AppendLine(CultureInfo.InvariantCulture, $"Severity:   {g.Severity}")
            .AppendLine(CultureInfo.InvariantCulture, $"Group:      {g.GroupKey}")
            .AppendLine(CultureInfo.InvariantCulture, $"First seen: {g.FirstSeen.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC")
            .AppendLine(CultureInfo.InvariantCulture, $"Last seen:  {g.LastSeen.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC")
            .AppendLine(CultureInfo.InvariantCulture, $"Alerts:     {g.AlertsSinceMail} since the last e-mail, {g.AlertsInEpisode} in all")
            .AppendLine(CultureInfo.InvariantCulture, $"Rule:       {rule.Name}")
            .AppendLine();
        if (kind != Resolved)
            body.AppendLine("What to do:").AppendLine(AlertAdvice.For(g.Type, g.ResourceType, g.ResourceId));
        else
            body.AppendLine("Nothing to do.");
        var mailId = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(
            $"{rule.Name}\n{g.GroupKey}\n{g.Episode}\n{kind}\n{g.MailsInEpisode}")))[..32].ToLowerInvariant();
        return new OutboxMail
        {
            MailId = mailId,
            Kind = kind,
            Rule = rule.Name,
            GroupKey = g.GroupKey,
            Recipients = rule.Recipients,
            Subject = Shorten(subject.ReplaceLineEndings(" ")),
            Body = body.ToString(),
        };
    }

    /// <summary>
    /// An alert's subject can be a whole sentence of advice; SMTP servers refuse header lines past
    /// 998 characters (RFC 5321), and the full text is in the body anyway.
    /// </summary>
    private static string Shorten(string subject) =>
        subject.Length <= MaxSubjectLength ? subject : subject[..(MaxSubjectLength - 3)] + "...";

    private const int MaxSubjectLength = 200;
}
