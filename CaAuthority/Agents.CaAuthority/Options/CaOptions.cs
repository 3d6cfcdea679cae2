using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace Agents.CaAuthority.Options;

/// <summary>
/// The CA's settings. Those CloudStack has keep its names as top-level keys
/// (<c>ca.framework.cert.validity.period</c>: in appsettings.json, as <c>--ca.framework.cert.validity.period=30</c>
/// or as an environment variable of that name); this system's additions sit in the section <c>Ca</c>
/// (<c>--Ca:DataDirectory=/var/lib/agents-ca</c>, <c>Ca__DataDirectory</c>).
/// docs/operations.md lists them with our defaults and the differences from CloudStack.
/// </summary>
public sealed class CaOptions : IValidatableObject
{
    public const string Section = "Ca";

    /// <summary>ca.framework.provider.plugin: the provider used when a request names none.</summary>
    [ConfigurationKeyName("ca.framework.provider.plugin")]
    [Required(ErrorMessage = "ca.framework.provider.plugin is required")]
    public string ProviderPlugin { get; set; } = "root";

    /// <summary>ca.plugin.root.issuer.dn</summary>
    [ConfigurationKeyName("ca.plugin.root.issuer.dn")]
    [Required(ErrorMessage = "ca.plugin.root.issuer.dn is required")]
    public string IssuerDn { get; set; } = "CN=ca.cloudstack.apache.org";

    /// <summary>ca.framework.cert.validity.period, in days (CloudStack: 365).</summary>
    [ConfigurationKeyName("ca.framework.cert.validity.period")]
    [Range(1, 3650, ErrorMessage = "ca.framework.cert.validity.period must be between {1} and {2} days")]
    public int CertValidityDays { get; set; } = 90;

    /// <summary>ca.framework.cert.expiry.alert.period, in days (CloudStack: 15).</summary>
    [ConfigurationKeyName("ca.framework.cert.expiry.alert.period")]
    [Range(1, 365, ErrorMessage = "ca.framework.cert.expiry.alert.period must be between {1} and {2} days")]
    public int ExpiryAlertPeriodDays { get; set; } = 15;

    /// <summary>ca.framework.background.task.delay, in seconds (CloudStack: 3600).</summary>
    [ConfigurationKeyName("ca.framework.background.task.delay")]
    [Range(1, 86_400, ErrorMessage = "ca.framework.background.task.delay must be between {1} and {2} seconds")]
    public int BackgroundTaskDelaySeconds { get; set; } = 3600;

    /// <summary>ca.framework.cert.automatic.renewal (CloudStack: true).</summary>
    [ConfigurationKeyName("ca.framework.cert.automatic.renewal")]
    public bool AutomaticRenewal { get; set; } = true;

    /// <summary>ca.plugin.root.allow.expired.cert: a holder whose certificate has expired may still renew with it (CloudStack: true, for the handshake).</summary>
    [ConfigurationKeyName("ca.plugin.root.allow.expired.cert")]
    public bool AllowExpiredRenewal { get; set; } = true;

    /// <summary>Holds ca.key (encrypted PKCS#8, 0600), ca.crt, crl.der and the inventory (ca.db).</summary>
    [Required(ErrorMessage = "Ca:DataDirectory is required")]
    public string DataDirectory { get; set; } = "/var/lib/agents-ca";

    /// <summary>The root CA's key: EcdsaP384 (default) or Rsa4096.</summary>
    public CaKeyAlgorithm KeyAlgorithm { get; set; } = CaKeyAlgorithm.EcdsaP384;

    /// <summary>Lifetime of the root CA certificate made at first start.</summary>
    [Range(1, 50, ErrorMessage = "Ca:CaValidityYears must be between {1} and {2}")]
    public int CaValidityYears { get; set; } = 10;

    /// <summary>NextUpdate of each CRL: how stale a downloaded CRL may be (revocation events are immediate).</summary>
    [Range(1, 10_080, ErrorMessage = "Ca:CrlValidityMinutes must be between {1} and {2}")]
    public int CrlValidityMinutes { get; set; } = 60;

    /// <summary>Where Kestrel listens for the CRL and CA certificate (http://host:port).</summary>
    [Required(ErrorMessage = "Ca:HttpUrl is required")]
    public string HttpUrl { get; set; } = "http://127.0.0.1:8081";

    /// <summary>
    /// This instance's name among the CA instances on one broker: its settings queue is
    /// <c>ca.settings.{name}</c>, so each instance applies every updateConfiguration change.
    /// Defaults to the host's name and the port of <see cref="HttpUrl"/> (distinct on one host).
    /// </summary>
    [RegularExpression(Messaging.InstanceName.Pattern, ErrorMessage = "Ca:InstanceName must be 1-100 letters, digits, '-' or '_'")]
    public string? InstanceName { get; set; }

    /// <summary><see cref="InstanceName"/>, or host-port.</summary>
    public string EffectiveInstanceName => !string.IsNullOrWhiteSpace(InstanceName) ? InstanceName
        : Messaging.InstanceName.OfHost(Uri.TryCreate(HttpUrl, UriKind.Absolute, out var u) ? u.Port.ToString(System.Globalization.CultureInfo.InvariantCulture) : null);

    /// <summary>The base URL others reach <see cref="HttpUrl"/> at; the CRL distribution point written into leaves is {PublicUrl}/ca/crl. Defaults to <see cref="HttpUrl"/>.</summary>
    public string? PublicUrl { get; set; }

    /// <summary>The passphrase of ca.key comes from this environment variable, else from <see cref="PassphraseFile"/>.</summary>
    [Required(ErrorMessage = "Ca:PassphraseEnvironmentVariable is required")]
    public string PassphraseEnvironmentVariable { get; set; } = "AGENTS_CA_PASSPHRASE";

    /// <summary>A file holding the passphrase. Without either, one is generated at first start into {DataDirectory}/ca.passphrase (0600).</summary>
    public string? PassphraseFile { get; set; }

    /// <summary>Longest accepted CSR or certificate PEM, in bytes.</summary>
    [Range(512, 1_048_576, ErrorMessage = "Ca:MaxCsrBytes must be between {1} and {2}")]
    public int MaxCsrBytes { get; set; } = 16 * 1024;

    /// <summary>Broker users (AMQP user_id), comma separated, allowed to issue, revoke, provision and create enrollment tokens: the API. Others may only enroll, renew and read.</summary>
    public string AdminUsers { get; set; } = "producers,admin";

    public IReadOnlyList<string> AdminUserList => AdminUsers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [Range(60, 30 * 86_400, ErrorMessage = "Ca:MaxEnrollmentTokenTtlSeconds must be between {1} and {2}")]
    public int MaxEnrollmentTokenTtlSeconds { get; set; } = 7 * 86_400;

    /// <summary>The base of the CRL distribution point and of the CA certificate's URL.</summary>
    public string EffectivePublicUrl => (string.IsNullOrWhiteSpace(PublicUrl) ? HttpUrl : PublicUrl).TrimEnd('/');

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Uri.TryCreate(HttpUrl, UriKind.Absolute, out var listen) || listen.Scheme != "http")
            yield return new ValidationResult($"Ca:HttpUrl '{HttpUrl}' must be an absolute http:// URL (host and port to listen on)", [nameof(HttpUrl)]);
        else if (string.IsNullOrWhiteSpace(PublicUrl) && listen.Host is "0.0.0.0" or "[::]" or "*" or "+")
            yield return new ValidationResult($"Ca:PublicUrl is required when Ca:HttpUrl listens on a wildcard address ({HttpUrl}): leaves carry {{PublicUrl}}/ca/crl", [nameof(PublicUrl)]);
        if (!string.IsNullOrWhiteSpace(PublicUrl) && (!Uri.TryCreate(PublicUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https")))
            yield return new ValidationResult($"Ca:PublicUrl '{PublicUrl}' must be an absolute http(s) URL", [nameof(PublicUrl)]);
        ValidationResult? dn = null;
        try { _ = new System.Security.Cryptography.X509Certificates.X500DistinguishedName(IssuerDn); }
        catch (System.Security.Cryptography.CryptographicException) { dn = new ValidationResult($"ca.plugin.root.issuer.dn '{IssuerDn}' is not a distinguished name", [nameof(IssuerDn)]); }
        if (dn is not null) yield return dn;
        if (ExpiryAlertPeriodDays >= CertValidityDays)
            yield return new ValidationResult($"ca.framework.cert.expiry.alert.period ({ExpiryAlertPeriodDays} days) must be shorter than ca.framework.cert.validity.period ({CertValidityDays} days)", [nameof(ExpiryAlertPeriodDays)]);
    }
}

public enum CaKeyAlgorithm { EcdsaP384, Rsa4096 }
