using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using SetCookieHeaderValue = Microsoft.Net.Http.Headers.SetCookieHeaderValue;

namespace Agents.WebConsole.Sessions;

/// <summary>
/// The console's copy of the API session: <c>login</c> answers the <c>JSESSIONID</c> and <c>sessionkey</c>
/// cookies for <c>/client</c> (where CloudStack's UI and API live); the console keeps the same two values
/// for <c>/console</c>, HttpOnly, SameSite=Strict (None+Partitioned when framed by another site), Secure over TLS.
/// The session itself is the API's: logout or its idle timeout ends it for both paths.
/// </summary>
public sealed class SessionCookies(IOptions<ConsoleOptions> options)
{
    public const string SessionCookie = "JSESSIONID";
    public const string SessionKey = "sessionkey";
    public const string Path = "/console";

    /// <summary>Copies the session cookies the API's login just set on this response to the console's path.</summary>
    public bool CopyFromLogin(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (!SetCookieHeaderValue.TryParseList(http.Response.Headers.SetCookie.OfType<string>().ToList(), out var cookies)) return false;
        var id = cookies.LastOrDefault(c => c.Name.Equals(SessionCookie, StringComparison.Ordinal))?.Value.Value;
        var key = cookies.LastOrDefault(c => c.Name.Equals(SessionKey, StringComparison.Ordinal))?.Value.Value;
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(key)) return false;
        http.Response.Cookies.Append(SessionCookie, id, Options(http));
        http.Response.Cookies.Append(SessionKey, key, Options(http));
        return true;
    }

    public void Delete(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        http.Response.Cookies.Delete(SessionCookie, Options(http));
        http.Response.Cookies.Delete(SessionKey, Options(http));
    }

    public CookieOptions Options(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var crossSite = options.Value.CrossSiteFraming;
        var cookie = new CookieOptions
        {
            Path = Path,
            HttpOnly = true,
            Secure = http.Request.IsHttps || crossSite,
            SameSite = crossSite ? SameSiteMode.None : SameSiteMode.Strict,
            IsEssential = true,
        };
        // a third-party frame's cookies must be partitioned (CHIPS) for browsers that block unpartitioned ones
        if (crossSite) cookie.Extensions.Add("Partitioned");
        return cookie;
    }
}
