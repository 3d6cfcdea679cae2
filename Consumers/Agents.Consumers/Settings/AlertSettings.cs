using System.Globalization;
using System.Net.Mail;
using Agents.Consumers.Alerts;
using Agents.Contracts.Events;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Agents.Consumers.Settings;

/// <summary>
/// CloudStack's alert e-mail settings (<c>alert.email.addresses</c>, <c>alert.email.sender</c>,
/// <c>alert.smtp.host</c>, <c>alert.smtp.port</c>, <c>alert.smtp.useStartTLS</c>) applied to the
/// running consumers when updateConfiguration changes them: the next e-mail composed or sent uses
/// them. An empty value gives the setting back to this service's own configuration
/// (<c>Alerts:</c>, <c>Smtp:</c>); a value that is not valid is refused with a warning and changes nothing.
/// </summary>
public sealed class AlertSettings
{
    private readonly AlertOptions _alerts;
    private readonly SmtpOptions _smtp;
    private readonly ILogger<AlertSettings> _logger;
    private readonly string _configuredFrom;
    private readonly string _configuredHost;
    private readonly int _configuredPort;
    private readonly bool _configuredStartTls;
    private readonly Dictionary<AlertRule, List<string>> _configuredRecipients;
    private readonly Lock _lock = new();

    public AlertSettings(IOptions<AlertOptions> alerts, IOptions<SmtpOptions> smtp, ILogger<AlertSettings> logger)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        ArgumentNullException.ThrowIfNull(smtp);
        _alerts = alerts.Value;
        _smtp = smtp.Value;
        _logger = logger;
        _configuredFrom = _alerts.From;
        _configuredHost = _smtp.Host;
        _configuredPort = _smtp.Port;
        _configuredStartTls = _smtp.UseStartTls;
        _configuredRecipients = _alerts.Rules.ToDictionary(r => r, r => r.Recipients.ToList());
    }

    /// <summary>The settings this service applies.</summary>
    public static IReadOnlySet<string> Names { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "alert.email.addresses", "alert.email.sender", "alert.smtp.host", "alert.smtp.port", "alert.smtp.useStartTLS",
    };

    /// <summary>Applies one changed setting; false when it is not one of <see cref="Names"/> or its value is refused.</summary>
    public bool Apply(ConfigurationChanged changed)
    {
        ArgumentNullException.ThrowIfNull(changed);
        if (!Names.Contains(changed.Name)) return false;
        var value = changed.Value.Trim();
        var error = Validate(changed.Name, value);
        if (error is not null)
        {
            _logger.LogWarning("Setting {Name} refused, its value {Value} {Error}; the consumers keep the previous one", changed.Name, value, error);
            return false;
        }
        lock (_lock)
        {
            switch (changed.Name)
            {
                case "alert.email.addresses":
                    var addresses = Addresses(value);
                    // every rule's e-mail goes to CloudStack's alert addresses; empty: each rule's own recipients again
                    foreach (var rule in _alerts.Rules)
                        rule.Recipients = addresses.Count > 0 ? [.. addresses] : [.. _configuredRecipients.GetValueOrDefault(rule, rule.Recipients)];
                    break;
                case "alert.email.sender":
                    _alerts.From = value.Length > 0 ? value : _configuredFrom;
                    break;
                case "alert.smtp.host":
                    _smtp.Host = value.Length > 0 ? value : _configuredHost;
                    break;
                case "alert.smtp.port":
                    _smtp.Port = value.Length > 0 ? int.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture) : _configuredPort;
                    break;
                case "alert.smtp.useStartTLS":
                    _smtp.UseStartTls = value.Length > 0 ? bool.Parse(value) : _configuredStartTls;
                    break;
            }
        }
        _logger.LogInformation("Setting {Name} is now {Value} (changed by {Account})", changed.Name, value, changed.Account);
        return true;
    }

    private string? Validate(string name, string value)
    {
        if (value.Length == 0) return null;
        return name switch
        {
            "alert.email.addresses" => Addresses(value).FirstOrDefault(a => !MailAddress.TryCreate(a, out _)) is { } bad ? $"holds '{bad}', which is not an e-mail address" : null,
            "alert.email.sender" => MailAddress.TryCreate(value, out _) ? null : "is not an e-mail address",
            "alert.smtp.host" => Uri.CheckHostName(value) == UriHostNameType.Unknown ? "is not a host name or address" : null,
            "alert.smtp.port" => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65_535 ? null : "is not a port (1-65535)",
            "alert.smtp.useStartTLS" when !bool.TryParse(value, out _) => "is not true or false",
            "alert.smtp.useStartTLS" when bool.Parse(value) && _smtp.UseImplicitTls => "cannot be true while Smtp:UseImplicitTls is (TLS from the first byte)",
            _ => null,
        };
    }

    private static List<string> Addresses(string value) =>
        [.. value.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
