using System.ComponentModel.DataAnnotations;

namespace Agents.Producers;

/// <summary>The API service. Section <c>Producers</c>; settings that CloudStack has keep its names in their docs.</summary>
public sealed class ProducersOptions : IValidatableObject
{
    public const string Section = "Producers";

    /// <summary>Where Kestrel listens, e.g. http://0.0.0.0:8080 (several separated by ';').</summary>
    [Required]
    public string ListenUrl { get; set; } = "http://localhost:8080";

    /// <summary>With Storage:Provider Sqlite, the file of accounts, keys, inventory, jobs and agents; created and migrated at start.</summary>
    [Required]
    public string DatabasePath { get; set; } = "producers.db";

    /// <summary>Encrypts secret keys and job passwords at rest (AES-256-GCM, key = SHA-256 of this). Keep it out of the repository: env Producers__MasterKey.</summary>
    [Required]
    public string MasterKey { get; set; } = "";

    /// <summary>With Storage:Provider Sqlite, the consumers service's audit log file (Consumers:AuditDatabasePath), read by listEvents; unset, listEvents answers 534. With MySql the audit log is in the shared database.</summary>
    public string? AuditDatabasePath { get; set; }

    public BootstrapOptions Bootstrap { get; set; } = new();

    public ProvisioningOptions Provisioning { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MasterKey.Length < 16)
            yield return new ValidationResult("Producers:MasterKey must be set to at least 16 characters (env Producers__MasterKey)", [nameof(MasterKey)]);
        foreach (var url in ListenUrl.Split(';', StringSplitOptions.RemoveEmptyEntries))
            if (!Uri.TryCreate(url, UriKind.Absolute, out var u) || u.Scheme is not ("http" or "https"))
                yield return new ValidationResult($"Producers:ListenUrl '{url}' is not an absolute http(s) URL", [nameof(ListenUrl)]);
        if (string.IsNullOrEmpty(Bootstrap.AdminApiKey) != string.IsNullOrEmpty(Bootstrap.AdminSecretKey))
            yield return new ValidationResult("Producers:Bootstrap:AdminApiKey and Producers:Bootstrap:AdminSecretKey go together", [nameof(Bootstrap)]);
        foreach (var result in Provisioning.Check()) yield return result;
    }
}

/// <summary>The first admin's keys, so the first signed request can create everything else.</summary>
public sealed class BootstrapOptions
{
    public string AdminAccount { get; set; } = "admin";
    public string? AdminApiKey { get; set; }
    public string? AdminSecretKey { get; set; }
}

/// <summary>Global settings of command delivery (CloudStack-style names in docs/operations.md).</summary>
public sealed class ProvisioningOptions
{
    /// <summary>agents.provisioning.retries: new attempts after a DeliveryTimedOut before the job fails.</summary>
    public int Retries { get; set; } = 3;

    /// <summary>agents.provisioning.retry.interval, seconds between attempts.</summary>
    public int RetryIntervalSeconds { get; set; } = 60;

    /// <summary>agents.command.delivery.timeout: how long the bridge waits for the agent to be connected.</summary>
    public int DeliveryTimeoutSeconds { get; set; } = 60;

    /// <summary>agents.command.execution.timeout: how long the bridge waits for the agent's answer.</summary>
    public int ExecutionTimeoutSeconds { get; set; } = 300;

    /// <summary>agents.password.ttl: minutes an unread reset password is kept (encrypted) before it is purged.</summary>
    public int PasswordTtlMinutes { get; set; } = 60;

    /// <summary>agents.password.length</summary>
    public int PasswordLength { get; set; } = 20;

    /// <summary>The user whose password/SSH keys are reset when the call names none.</summary>
    public string DefaultUsername { get; set; } = "root";

    /// <summary>agents.fanout.max.concurrency: maxconcurrency when a fan-out call gives none.</summary>
    public int DefaultMaxConcurrency { get; set; } = 10;

    /// <summary>agents.agent.iso: where an operator finds the agent installer; quoted in the no-agent alert.</summary>
    public string AgentIso { get; set; } = "the agents ISO (systemvm/agents-agent.iso), attached to the VM as a CD-ROM";

    /// <summary>Timeout of one request to the CA on ca.requests.</summary>
    public int CaTimeoutSeconds { get; set; } = 30;

    internal IEnumerable<ValidationResult> Check()
    {
        if (Retries is < 0 or > 100) yield return Bad("Retries", "agents.provisioning.retries must be 0..100");
        if (RetryIntervalSeconds is < 1 or > 86_400) yield return Bad("RetryIntervalSeconds", "agents.provisioning.retry.interval must be 1..86400 s");
        if (DeliveryTimeoutSeconds is < 1 or > 86_400) yield return Bad("DeliveryTimeoutSeconds", "must be 1..86400 s");
        if (ExecutionTimeoutSeconds is < 1 or > 86_400) yield return Bad("ExecutionTimeoutSeconds", "must be 1..86400 s");
        if (PasswordTtlMinutes is < 1 or > 10_080) yield return Bad("PasswordTtlMinutes", "agents.password.ttl must be 1..10080 min");
        if (PasswordLength is < 12 or > 128) yield return Bad("PasswordLength", "agents.password.length must be 12..128");
        if (DefaultMaxConcurrency is < 1 or > 10_000) yield return Bad("DefaultMaxConcurrency", "must be 1..10000");
        if (CaTimeoutSeconds is < 1 or > 600) yield return Bad("CaTimeoutSeconds", "must be 1..600 s");
        if (string.IsNullOrWhiteSpace(DefaultUsername)) yield return Bad("DefaultUsername", "must not be empty");
    }

    private static ValidationResult Bad(string name, string text) =>
        new($"Producers:Provisioning:{name}: {text}", [name]);
}
