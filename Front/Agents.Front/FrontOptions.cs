using System.ComponentModel.DataAnnotations;

namespace Agents.Front;

/// <summary>
/// Section <c>Front</c>: where the front listens and the API instances it spreads requests over
/// (round robin), each probed on <see cref="HealthPath"/>; an instance that fails the probe gets
/// no request until it passes again.
/// </summary>
public sealed class FrontOptions : IValidatableObject
{
    public const string Section = "Front";

    /// <summary>The front's own address (Kestrel URL; several separated by ';').</summary>
    public string Listen { get; set; } = "http://0.0.0.0:8080";

    /// <summary>The API instances' base URLs (http://host:port).</summary>
    public List<string> Backends { get; set; } = [];

    /// <summary>The active probe: an instance answering anything but 2xx here is taken out of the rotation.</summary>
    public string HealthPath { get; set; } = "/health/ready";

    [Range(1, 3600)]
    public int HealthIntervalSeconds { get; set; } = 5;

    [Range(1, 600)]
    public int HealthTimeoutSeconds { get; set; } = 3;

    /// <summary>How long an instance that refused a connection stays out of the rotation before it is tried again (the request it refused goes to another instance).</summary>
    [Range(1, 3600)]
    public int ReactivationSeconds { get; set; } = 10;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Backends.Count == 0)
            yield return new ValidationResult("Front:Backends: name at least one API instance (--backend http://host:port)", [nameof(Backends)]);
        foreach (var backend in Backends.Where(b => !IsHttpUrl(b)))
            yield return new ValidationResult($"Front:Backends: '{backend}' is not an http:// or https:// URL", [nameof(Backends)]);
        foreach (var listen in Listen.Split(';', StringSplitOptions.RemoveEmptyEntries).Where(l => !IsHttpUrl(l.Replace("://*", "://0.0.0.0", StringComparison.Ordinal))))
            yield return new ValidationResult($"Front:Listen: '{listen}' is not an http:// or https:// URL", [nameof(Listen)]);
        if (!HealthPath.StartsWith('/'))
            yield return new ValidationResult($"Front:HealthPath: '{HealthPath}' must start with '/'", [nameof(HealthPath)]);
    }

    private static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
