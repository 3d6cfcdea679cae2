using System.ComponentModel.DataAnnotations;
using Agents.Security.Identity;

namespace Agents.RouterBridge;

/// <summary>The bridge of one virtual router. Section <c>Bridge</c>; CloudStack-named settings keep their names.</summary>
public sealed class BridgeOptions : IValidatableObject
{
    public const string Section = "Bridge";

    /// <summary>The router's uuid: the bridge consumes agents.router.{RouterId} and its certificate names urn:cloudstack:router:{RouterId}.</summary>
    [Required]
    public string RouterId { get; set; } = "";

    /// <summary>"::" listens dual-stack (IPv4 and IPv6).</summary>
    [Required]
    public string ListenAddress { get; set; } = "::";

    [Range(0, 65535)]
    public int ListenPort { get; set; } = 8443;

    /// <summary>Holds router.key (0600), router.crt, ca.crt and the journal of commands run on the router.</summary>
    [Required]
    public string DataDirectory { get; set; } = "/var/lib/agents-bridge";

    /// <summary>One-time enrollment token for the router's own certificate; also read from AGENTS_BRIDGE_TOKEN. Needed only until the first certificate.</summary>
    public string? EnrollmentToken { get; set; }

    /// <summary>A file holding only the one-time enrollment token (docker-compose's init step writes one); read when the bridge enrolls, after <see cref="EnrollmentToken"/>, before AGENTS_BRIDGE_TOKEN.</summary>
    public string? EnrollmentTokenFile { get; set; }

    /// <summary>
    /// ca.plugin.root.auth.strictness: true requires a valid client certificate for everything but
    /// an enrollment with a valid one-time token (rate-limited by <see cref="EnrollmentRateLimit"/>);
    /// any other connection without one is refused and reported. false: the same rules, but a
    /// connection without a certificate that does not enroll is only logged.
    /// </summary>
    public bool AuthStrictness { get; set; } = true;

    /// <summary>Enrollment attempts (connections without a certificate) one source address may make per minute; 0 means no limit.</summary>
    [Range(0, 100_000)]
    public int EnrollmentRateLimit { get; set; } = 60;

    /// <summary>ca.plugin.root.allow.expired.cert: accept an expired client certificate (renewal of a VM that was off for months).</summary>
    public bool AllowExpiredCertificates { get; set; }

    /// <summary>Where the CA publishes its CRL (http://ca:8080/ca/crl); loaded at start and every <see cref="CrlRefreshSeconds"/>.</summary>
    public string? CrlUrl { get; set; }

    [Range(5, 86_400)]
    public int CrlRefreshSeconds { get; set; } = 300;

    /// <summary>Commands for the router itself run in this sandbox directory instead of the real system (demo, tests).</summary>
    public string? SandboxRoot { get; set; }

    /// <summary>The router's local policy for commands it runs itself (same format as the agent's); the built-in default allows recipes only.</summary>
    public string? PolicyPath { get; set; }

    public string? RecipeDirectory { get; set; }

    [Range(1, 10_000)]
    public int MaxParallelCommands { get; set; } = 256;

    /// <summary>Refused agent connections of one claimant are folded into one AGENT.CONNECTION.REFUSE event per this many seconds.</summary>
    [Range(1, 86_400)]
    public int RefusalEventIntervalSeconds { get; set; } = 60;

    public HealthCheckOptions HealthChecks { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!HolderIdentity.IsSafeId(RouterId))
            yield return new ValidationResult("Bridge:RouterId must be the router's uuid (letters, digits, '-', '_', '.')", [nameof(RouterId)]);
        if (!System.Net.IPAddress.TryParse(ListenAddress, out _))
            yield return new ValidationResult($"Bridge:ListenAddress '{ListenAddress}' is not an IP address", [nameof(ListenAddress)]);
        if (EnrollmentTokenFile is not null && !File.Exists(EnrollmentTokenFile))
            yield return new ValidationResult($"Bridge:EnrollmentTokenFile: file {EnrollmentTokenFile} does not exist", [nameof(EnrollmentTokenFile)]);
        if (CrlUrl is not null && !Uri.TryCreate(CrlUrl, UriKind.Absolute, out _))
            yield return new ValidationResult($"Bridge:CrlUrl '{CrlUrl}' is not an absolute URL", [nameof(CrlUrl)]);
    }
}

/// <summary>CloudStack's router.health.checks.* settings.</summary>
public sealed class HealthCheckOptions
{
    /// <summary>router.health.checks.enabled</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>router.health.checks.basic.interval, in minutes (CloudStack default 3).</summary>
    [Range(1, 1440)]
    public int BasicIntervalMinutes { get; set; } = 3;

    /// <summary>router.health.checks.advanced.interval, in minutes (CloudStack default 10).</summary>
    [Range(1, 1440)]
    public int AdvancedIntervalMinutes { get; set; } = 10;

    /// <summary>router.health.checks.free.disk.space.threshold, in MB (CloudStack default 100).</summary>
    public long FreeDiskThresholdMb { get; set; } = 100;

    /// <summary>router.health.checks.max.cpu.usage.threshold, percent (CloudStack default 100).</summary>
    [Range(1, 100)]
    public double MaxCpuPercent { get; set; } = 100;

    /// <summary>router.health.checks.max.memory.usage.threshold, percent (CloudStack default 100).</summary>
    [Range(1, 100)]
    public double MaxMemoryPercent { get; set; } = 100;

    /// <summary>Days before its own certificate expires that the bridge reports unhealthy.</summary>
    public int CertificateExpiryWarningDays { get; set; } = 7;

    /// <summary>Advanced checks: executables in this folder, like the VR's health_checks folder; exit 0 passes.</summary>
    public string? ScriptsDirectory { get; set; }

    [Range(1, 600)]
    public int ScriptTimeoutSeconds { get; set; } = 30;
}
