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

    public Sessions.SessionOptions Sessions { get; set; } = new();

    public Cluster.ClusterOptions Cluster { get; set; } = new();

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
        foreach (var result in Cluster.Check()) yield return result;
        if (Sessions.IdleTimeoutMinutes is < 1 or > 10_080)
            yield return new ValidationResult("Producers:Sessions:IdleTimeoutMinutes must be 1..10080", [nameof(Sessions)]);
        if (Sessions.FreeLoginFailures is < 0 or > 100 || Sessions.MaxLoginDelaySeconds is < 0 or > 600)
            yield return new ValidationResult("Producers:Sessions:FreeLoginFailures must be 0..100 and MaxLoginDelaySeconds 0..600", [nameof(Sessions)]);
    }
}
