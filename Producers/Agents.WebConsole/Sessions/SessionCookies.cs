using Agents.WebConsole.Api;
using Agents.WebConsole.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using SetCookieHeaderValue = Microsoft.Net.Http.Headers.SetCookieHeaderValue;

namespace Agents.WebConsole.Sessions;

/// <summary>
/// The console's copy of the API session: <c>login</c> answers the session cookies (<see cref="IConsoleApi.SessionCookieNames"/>)
/// for <c>/client</c> (where CloudStack's UI and API live); the console keeps the same values for <c>/console</c>,
/// HttpOnly, SameSite=Strict (None+Partitioned when framed by another site), Secure over TLS (as the API's are).
/// The session itself is the API's: logout or its idle timeout ends it for both paths.
/// </summary>
public sealed class SessionCookies(IConsoleApi api, IOptions<ConsoleOptions> options)
{
    /// <summary>Copies the session cookies the API's login just set on this response to the console's path.</summary>
    public bool CopyFromLogin(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (!SetCookieHeaderValue.TryParseList(http.Response.Headers.SetCookie.OfType<string>().ToList(), out var cookies)) return false;
        var values = api.SessionCookieNames
            .Select(name => (Name: name, Value: cookies.LastOrDefault(c => c.Name.Equals(name, StringComparison.Ordinal))?.Value.Value))
            .ToList();
        if (values.Any(v => string.IsNullOrEmpty(v.Value))) return false;
        // the API marks its cookies Secure when it knows it is served over TLS (itself, or behind an HTTPS proxy): so does the console
        var secure = cookies.Any(c => c.Secure && api.SessionCookieNames.Contains(c.Name.Value, StringComparer.Ordinal));
        foreach (var (name, value) in values) http.Response.Cookies.Append(name, value!, Options(http, secure));
        return true;
    }

    public void Delete(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        foreach (var name in api.SessionCookieNames) http.Response.Cookies.Delete(name, Options(http));
    }

    public CookieOptions Options(HttpContext http, bool secure = false)
    {
        ArgumentNullException.ThrowIfNull(http);
        var crossSite = options.Value.CrossSiteFraming;
        var cookie = new CookieOptions
        {
            Path = ConsolePaths.Root,
            HttpOnly = true,
            Secure = secure || http.Request.IsHttps || crossSite,
            SameSite = crossSite ? SameSiteMode.None : SameSiteMode.Strict,
            IsEssential = true,
        };
        // a third-party frame's cookies must be partitioned (CHIPS) for browsers that block unpartitioned ones
        if (crossSite) cookie.Extensions.Add("Partitioned");
        return cookie;
    }
}
