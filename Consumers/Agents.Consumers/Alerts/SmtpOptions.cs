using System.ComponentModel.DataAnnotations;

namespace Agents.Consumers.Alerts;

/// <summary>The SMTP server alerts go through. Section <c>Smtp</c>.</summary>
public sealed class SmtpOptions : IValidatableObject
{
    public const string Section = "Smtp";

    [Required]
    public string Host { get; set; } = "localhost";

    [Range(1, 65535)]
    public int Port { get; set; } = 25;

    /// <summary>STARTTLS before anything else is sent (CloudStack's <c>alert.smtp.useStartTLS</c>); a server that does not offer it is refused.</summary>
    public bool UseStartTls { get; set; }

    /// <summary>TLS from the first byte ("smtps", usually port 465).</summary>
    public bool UseImplicitTls { get; set; }

    /// <summary>
    /// SHA-256 of the server's certificate (hex, colons allowed). When set, that certificate and no
    /// other is accepted, whatever its chain; when empty, the certificate must chain to the system's
    /// trust store and name <see cref="Host"/>.
    /// </summary>
    public string? ServerCertificateSha256 { get; set; }

    /// <summary>Ask the certificate's CRL or OCSP whether the SMTP server's certificate is revoked (a certificate that names neither is refused while this is on). Not used with a pin.</summary>
    public bool CheckCertificateRevocation { get; set; } = true;

    /// <summary>Log in with these when set (SASL: the strongest mechanism both sides speak). Only over TLS unless <see cref="AllowLoginWithoutTls"/>.</summary>
    public string? UserName { get; set; }

    /// <summary>Never logged. Prefer the environment variable Smtp__Password.</summary>
    public string? Password { get; set; }

    public bool AllowLoginWithoutTls { get; set; }

    [Range(1, 600)]
    public int TimeoutSeconds { get; set; } = 30;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Uri.CheckHostName(Host) == UriHostNameType.Unknown)
            yield return new ValidationResult($"Smtp:Host '{Host}' is not a host name or address", [nameof(Host)]);
        if (!string.IsNullOrEmpty(UserName) && string.IsNullOrEmpty(Password))
            yield return new ValidationResult("Smtp:Password is required when Smtp:UserName is set", [nameof(Password)]);
        if (!string.IsNullOrEmpty(UserName) && !UseStartTls && !UseImplicitTls && !AllowLoginWithoutTls)
            yield return new ValidationResult("Smtp:UserName is set but neither Smtp:UseStartTls nor Smtp:UseImplicitTls is true: the password would cross the network in clear (set Smtp:AllowLoginWithoutTls=true to allow it)", [nameof(UseStartTls)]);
        if (UseStartTls && UseImplicitTls)
            yield return new ValidationResult("Smtp:UseStartTls and Smtp:UseImplicitTls are both true: choose one (implicit TLS is usually port 465, STARTTLS 587 or 25)", [nameof(UseImplicitTls)]);
        if (!string.IsNullOrEmpty(ServerCertificateSha256))
        {
            if (!UseStartTls && !UseImplicitTls)
                yield return new ValidationResult("Smtp:ServerCertificateSha256 is set but TLS is off: set Smtp:UseStartTls or Smtp:UseImplicitTls", [nameof(ServerCertificateSha256)]);
            var hex = NormalizeFingerprint(ServerCertificateSha256);
            if (hex.Length != 64 || !hex.All(Uri.IsHexDigit))
                yield return new ValidationResult("Smtp:ServerCertificateSha256 is not a SHA-256 fingerprint (64 hex digits, colons allowed)", [nameof(ServerCertificateSha256)]);
        }
    }

    public static string NormalizeFingerprint(string fingerprint) =>
        fingerprint.Replace(":", "", StringComparison.Ordinal).Trim().ToUpperInvariant();
}
