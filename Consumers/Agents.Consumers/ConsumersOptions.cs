using System.ComponentModel.DataAnnotations;

namespace Agents.Consumers;

/// <summary>The queues and stores of the consumers service. Section <c>Consumers</c>.</summary>
public sealed class ConsumersOptions : IValidatableObject
{
    public const string Section = "Consumers";

    /// <summary>Quorum queue of the audit log, bound to cloudstack-events with <see cref="AuditBindings"/>. Must start with <c>consumers.</c> (broker permissions).</summary>
    [Required]
    public string AuditQueue { get; set; } = "consumers.audit";

    /// <summary>CloudStack routing-key patterns the audit log records; <c>#</c> is every event.</summary>
    public List<string> AuditBindings { get; set; } = [];

    /// <summary>Quorum queue of the alert mailer; its bindings come from the alert rules.</summary>
    [Required]
    public string AlertQueue { get; set; } = "consumers.alerts";

    /// <summary>With Storage:Provider Sqlite, the file of the audit log (the API's Producers:AuditDatabasePath names the same file for listEvents).</summary>
    [Required]
    public string AuditDatabasePath { get; set; } = "/var/lib/agents-consumers/audit.db";

    /// <summary>With Storage:Provider Sqlite, the file of the alert groups and the e-mail outbox.</summary>
    [Required]
    public string AlertDatabasePath { get; set; } = "/var/lib/agents-consumers/alerts.db";

    /// <summary>
    /// This instance's name among the consumers on one broker: its settings queue is
    /// <c>consumers.settings.{InstanceName}</c>, so each instance gets every updateConfiguration
    /// change. Instances on one host need distinct names. Letters, digits, '-', '_'.
    /// </summary>
    [Required]
    [RegularExpression(Messaging.InstanceName.Pattern, ErrorMessage = "Consumers:InstanceName must be 1-100 letters, digits, '-' or '_'")]
    public string InstanceName { get; set; } = Messaging.InstanceName.OfHost();

    /// <summary>Paths of plugin assemblies: MassTransit consumers marked [EventPlugin] (Agents.Consumers.Plugins), each on its own queue consumers.plugin.{name}.</summary>
    public List<string> Plugins { get; set; } = [];

    /// <summary>Deliveries each consumer may hold unacknowledged.</summary>
    [Range(1, 10_000)]
    public int PrefetchCount { get; set; } = 64;

    /// <summary>Attempts at a delivery (a busy database, a full disk) before MassTransit moves it to {queue}_error.</summary>
    [Range(1, 100)]
    public int RetryLimit { get; set; } = 10;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, queue) in new[] { (nameof(AuditQueue), AuditQueue), (nameof(AlertQueue), AlertQueue) })
            if (!queue.StartsWith("consumers.", StringComparison.Ordinal) || queue.Length <= "consumers.".Length)
                yield return new ValidationResult($"Consumers:{name} '{queue}' must start with 'consumers.' (the broker user may only configure consumers.* queues)", [name]);
        if (AuditQueue == AlertQueue)
            yield return new ValidationResult("Consumers:AuditQueue and Consumers:AlertQueue must differ", [nameof(AlertQueue)]);
        foreach (var binding in AuditBindings)
            if (!RoutingPattern.IsValid(binding))
                yield return new ValidationResult($"Consumers:AuditBindings '{binding}' is not a routing-key pattern (words of letters, digits, '-', '_', or * and #, joined by '.')", [nameof(AuditBindings)]);
    }

    /// <summary>The audit bindings, <c>#</c> when none is set.</summary>
    public IReadOnlyList<string> EffectiveAuditBindings => AuditBindings.Count == 0 ? ["#"] : AuditBindings;
}
