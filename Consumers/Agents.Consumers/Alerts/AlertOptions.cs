using System.ComponentModel.DataAnnotations;
using System.Net.Mail;
using Agents.Contracts.Events;

namespace Agents.Consumers.Alerts;

/// <summary>
/// Which events become e-mail, to whom, and how often (Alertmanager's group_wait and
/// repeat_interval). Section <c>Alerts</c>.
/// </summary>
public sealed class AlertOptions : IValidatableObject
{
    public const string Section = "Alerts";

    public bool Enabled { get; set; } = true;

    /// <summary>The From address of every alert e-mail.</summary>
    [Required]
    public string From { get; set; } = "cloudstack-agents@localhost";

    /// <summary>Put before every subject.</summary>
    public string SubjectPrefix { get; set; } = "[CloudStack]";

    /// <summary>How long a new group collects alerts before its first e-mail (Alertmanager's group_wait).</summary>
    [Range(0, 3600)]
    public double GroupWaitSeconds { get; set; } = 30;

    /// <summary>An e-mail again for a group still firing after this long (Alertmanager's repeat_interval).</summary>
    [Range(1, 30 * 86_400)]
    public double RepeatIntervalSeconds { get; set; } = 4 * 3600;

    /// <summary>How often the outbox is looked at for due e-mails and retries.</summary>
    [Range(0.05, 60)]
    public double PollIntervalSeconds { get; set; } = 1;

    /// <summary>Longest pause between two attempts at an e-mail while the SMTP server fails.</summary>
    [Range(1, 3600)]
    public double MaxRetryDelaySeconds { get; set; } = 60;

    /// <summary>Delivery ids remembered (to drop a redelivered alert) for this many days.</summary>
    [Range(1, 365)]
    public int DeduplicationDays { get; set; } = 7;

    public List<AlertRule> Rules { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!MailAddress.TryCreate(From, out _))
            yield return new ValidationResult($"Alerts:From '{From}' is not an e-mail address", [nameof(From)]);
        if (Enabled && Rules.Count == 0)
            yield return new ValidationResult("Alerts:Rules is empty: add a rule (e.g. Categories [AlertEvent], Recipients [ops@example.com]) or set Alerts:Enabled=false", [nameof(Rules)]);
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Rules.Count; i++)
        {
            var rule = Rules[i];
            var at = $"Alerts:Rules:{i}";
            if (string.IsNullOrWhiteSpace(rule.Name)) yield return new ValidationResult($"{at}:Name is required", ["Rules"]);
            else if (!names.Add(rule.Name)) yield return new ValidationResult($"{at}:Name '{rule.Name}' is used by two rules", ["Rules"]);
            if (rule.Recipients.Count == 0) yield return new ValidationResult($"{at}:Recipients is empty", ["Rules"]);
            foreach (var r in rule.Recipients)
                if (!MailAddress.TryCreate(r, out _)) yield return new ValidationResult($"{at}:Recipients '{r}' is not an e-mail address", ["Rules"]);
            foreach (var c in rule.Categories)
                if (c is not (EventCategory.ActionEvent or EventCategory.AlertEvent or EventCategory.ResourceStateEvent or EventCategory.AsyncJobEvent))
                    yield return new ValidationResult($"{at}:Categories '{c}' is not ActionEvent, AlertEvent, ResourceStateEvent or AsyncJobEvent", ["Rules"]);
            foreach (var (name, value) in new[] { (nameof(rule.MinSeverity), rule.MinSeverity), (nameof(rule.Severity), rule.Severity) })
                if (AlertRule.ParseSeverity(value) is null)
                    yield return new ValidationResult($"{at}:{name} '{value}' is not Info, Warning or Critical", ["Rules"]);
            foreach (var word in rule.EventTypes.Concat(rule.ResourceTypes))
                if (!RoutingPattern.IsValid(RoutingPattern.Word(word)) || word.Contains('*', StringComparison.Ordinal) || word.Contains('#', StringComparison.Ordinal))
                    yield return new ValidationResult($"{at}: '{word}' is not an event or resource type", ["Rules"]);
        }
    }
}

/// <summary>
/// One route: events of these categories, types and resource types (an empty list matches
/// any) at or above <see cref="MinSeverity"/> go to <see cref="Recipients"/>.
/// </summary>
public sealed class AlertRule
{
    public string Name { get; set; } = "";
    public List<string> Categories { get; set; } = [];
    /// <summary>Dotted event types (ALERT.ROUTER.HEALTH, AGENT.STATE).</summary>
    public List<string> EventTypes { get; set; } = [];
    public List<string> ResourceTypes { get; set; } = [];
    public List<string> Recipients { get; set; } = [];
    /// <summary>Alerts below this severity (Info, Warning, Critical) are not mailed by this rule.</summary>
    public string MinSeverity { get; set; } = nameof(AlertSeverity.Info);
    /// <summary>The severity of events that carry none (everything but AlertEvents).</summary>
    public string Severity { get; set; } = nameof(AlertSeverity.Warning);

    // strings, checked by AlertOptions.Validate: the binder would silently drop a rule whose enum does not parse
    internal AlertSeverity MinSeverityLevel => ParseSeverity(MinSeverity) ?? AlertSeverity.Info;
    internal AlertSeverity SeverityLevel => ParseSeverity(Severity) ?? AlertSeverity.Warning;

    internal static AlertSeverity? ParseSeverity(string? value) =>
        Enum.TryParse<AlertSeverity>(value, ignoreCase: true, out var s) && Enum.IsDefined(s) && !int.TryParse(value, out _) ? s : null;

    /// <summary>The bindings on cloudstack-events that bring this rule every event it may match.</summary>
    public IEnumerable<string> Bindings()
    {
        IEnumerable<string> Or(List<string> values) => values.Count == 0 ? ["*"] : values.Select(RoutingPattern.Word);
        return from category in Or(Categories)
               from type in Or(EventTypes)
               from resource in Or(ResourceTypes)
               select $"*.{category}.{type}.{resource}.#";
    }
}
