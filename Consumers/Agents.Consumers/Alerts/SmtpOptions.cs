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

    /// <summary>STARTTLS before anything else is sent (System.Net.Mail does not speak implicit TLS on 465). The server certificate must be trusted by the system.</summary>
    public bool UseStartTls { get; set; }

    /// <summary>Log in with these when set (System.Net.Mail speaks AUTH LOGIN, NTLM and Negotiate, not PLAIN). Only over STARTTLS unless <see cref="AllowLoginWithoutTls"/>.</summary>
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
        if (!string.IsNullOrEmpty(UserName) && !UseStartTls && !AllowLoginWithoutTls)
            yield return new ValidationResult("Smtp:UserName is set but Smtp:UseStartTls is false: the password would cross the network in clear (set Smtp:AllowLoginWithoutTls=true to allow it)", [nameof(UseStartTls)]);
    }
}
