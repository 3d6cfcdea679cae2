using System.ComponentModel.DataAnnotations;

namespace Agents.WebConsole;

/// <summary>The operator console (section <c>Console</c>); it is served by the API process at <c>/console/</c>.</summary>
public sealed class ConsoleOptions : IValidatableObject
{
    public const string Section = "Console";

    /// <summary>Serve the console at all; off, <c>/console/</c> answers 404 and no event queue is declared.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Origins allowed to show the console in a frame (CloudStack's UI plugin), e.g.
    /// <c>https://cloudstack.example.com</c>; the console's own origin always is. Any other framing is refused
    /// (CSP <c>frame-ancestors</c>).
    /// </summary>
    public List<string> FrameAncestors { get; set; } = [];

    /// <summary>
    /// The console is framed by a page of another site: its session cookies become <c>SameSite=None; Secure; Partitioned</c>
    /// (a browser sends Strict cookies to a frame only under the same site). Needs the console served over https.
    /// </summary>
    public bool CrossSiteFraming { get; set; }

    /// <summary>Rows on a page of every list.</summary>
    [Range(5, 200)]
    public int PageSize { get; set; } = 20;

    /// <summary>Days before expiry a certificate shows as expiring when the API has no <c>ca.framework.cert.expiry.alert.period</c> to tell.</summary>
    [Range(1, 3650)]
    public int ExpiryWindowDays { get; set; } = 15;

    /// <summary>Live notifications waiting for this API instance's console at most; older ones are dropped first.</summary>
    [Range(100, 1_000_000)]
    public int LiveQueueMaxLength { get; set; } = 10_000;

    /// <summary>Notifications a browser may fall behind by before the oldest are dropped for it.</summary>
    [Range(10, 10_000)]
    public int LiveClientBuffer { get; set; } = 256;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var origin in FrameAncestors)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
                || uri.PathAndQuery != "/" || origin.TrimEnd('/') != uri.GetLeftPart(UriPartial.Authority))
                yield return new ValidationResult($"Console:FrameAncestors '{origin}' must be an origin such as https://cloudstack.example.com (scheme, host, port; no path)",
                    [nameof(FrameAncestors)]);
        }
    }
}
