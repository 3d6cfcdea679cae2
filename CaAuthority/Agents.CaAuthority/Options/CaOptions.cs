using System.ComponentModel.DataAnnotations;

namespace Agents.CaAuthority.Options;

/// <summary>
/// The CA's settings (section <c>Ca</c>). Each keeps the meaning of the CloudStack global setting
/// named in its comment; docs/operations.md lists them with our defaults and the differences.
/// </summary>
public sealed class CaOptions : IValidatableObject
{
    public const string Section = "Ca";

    /// <summary>Holds ca.key (encrypted PKCS#8, 0600), ca.crt, crl.der and the inventory (ca.db).</summary>
    [Required]
    public string DataDirectory { get; set; } = "/var/lib/agents-ca";

    /// <summary>ca.plugin.root.issuer.dn</summary>
    [Required]
    public string IssuerDn { get; set; } = "CN=ca.cloudstack.apache.org";

    /// <summary>The root CA's key: EcdsaP384 (default) or Rsa4096.</summary>
    public CaKeyAlgorithm KeyAlgorithm { get; set; } = CaKeyAlgorithm.EcdsaP384;

    /// <summary>Lifetime of the root CA certificate made at first start.</summary>
    [Range(1, 50)]
    public int CaValidityYears { get; set; } = 10;

    /// <summary>ca.framework.cert.validity.period, in days (CloudStack: 365).</summary>
    [Range(1, 3650)]
    public int CertValidityDays { get; set; } = 90;

    /// <summary>ca.framework.cert.expiry.alert.period, in days (CloudStack: 15).</summary>
    [Range(1, 365)]
    public int ExpiryAlertPeriodDays { get; set; } = 15;

    /// <summary>ca.framework.background.task.delay, in seconds (CloudStack: 3600).</summary>
    [Range(1, 86_400)]
    public int BackgroundTaskDelaySeconds { get; set; } = 3600;

    /// <summary>ca.framework.cert.automatic.renewal (CloudStack: true).</summary>
    public bool AutomaticRenewal { get; set; } = true;

    /// <summary>ca.plugin.root.allow.expired.cert: renew a certificate that has already expired (CloudStack: true).</summary>
    public bool AllowExpiredRenewal { get; set; } = true;

    /// <summary>NextUpdate of each CRL: how stale a downloaded CRL may be (revocation events are immediate).</summary>
    [Range(1, 10_080)]
    public int CrlValidityMinutes { get; set; } = 60;

    /// <summary>The base URL where this service's HTTP endpoints are reachable; the CRL distribution point is {PublicUrl}/ca/crl.</summary>
    [Required]
    public string PublicUrl { get; set; } = "http://127.0.0.1:8081";

    /// <summary>The passphrase of ca.key comes from this environment variable, else from <see cref="PassphraseFile"/>.</summary>
    [Required]
    public string PassphraseEnvironmentVariable { get; set; } = "AGENTS_CA_PASSPHRASE";

    /// <summary>A file holding the passphrase. Without either, one is generated at first start into {DataDirectory}/ca.passphrase (0600).</summary>
    public string? PassphraseFile { get; set; }

    /// <summary>Broker users allowed to issue, revoke, provision and create enrollment tokens (the API). Others may only enroll and renew.</summary>
    public List<string> AdminUsers { get; set; } = ["producers", "admin"];

    /// <summary>Longest accepted CSR, in bytes.</summary>
    [Range(512, 1_048_576)]
    public int MaxCsrBytes { get; set; } = 16 * 1024;

    [Range(60, 30 * 86_400)]
    public int MaxEnrollmentTokenTtlSeconds { get; set; } = 7 * 86_400;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Uri.TryCreate(PublicUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            yield return new ValidationResult($"Ca:PublicUrl '{PublicUrl}' must be an absolute http(s) URL", [nameof(PublicUrl)]);
        ValidationResult? dn = null;
        try { _ = new System.Security.Cryptography.X509Certificates.X500DistinguishedName(IssuerDn); }
        catch (System.Security.Cryptography.CryptographicException) { dn = new ValidationResult($"Ca:IssuerDn '{IssuerDn}' is not a distinguished name", [nameof(IssuerDn)]); }
        if (dn is not null) yield return dn;
    }
}

public enum CaKeyAlgorithm { EcdsaP384, Rsa4096 }
