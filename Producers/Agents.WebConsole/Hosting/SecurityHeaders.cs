using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Agents.WebConsole.Hosting;

/// <summary>
/// The headers of every console answer: a Content-Security-Policy that runs only the console's own
/// script file (no inline script, no eval, nothing from elsewhere), framing by this origin and the
/// configured CloudStack UI origins only, no MIME sniffing, no referrer beyond this origin, and no
/// caching (a page may have shown a password).
/// </summary>
public sealed class SecurityHeaders(RequestDelegate next, IOptions<ConsoleOptions> options)
{
    private readonly string _policy = Policy(options.Value.FrameAncestors);

    public Task InvokeAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = _policy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "same-origin";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), clipboard-write=(self)";
        if (!http.Request.Path.StartsWithSegments(ConsolePaths.Assets)) headers.CacheControl = "no-store";
        return next(http);
    }

    public static string Policy(IEnumerable<string> frameAncestors)
    {
        ArgumentNullException.ThrowIfNull(frameAncestors);
        var ancestors = string.Join(' ', new[] { "'self'" }.Concat(frameAncestors.Select(o => o.TrimEnd('/'))));
        return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
            + $"form-action 'self'; base-uri 'none'; frame-ancestors {ancestors}";
    }
}
