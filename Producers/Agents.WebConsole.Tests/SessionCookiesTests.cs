using Agents.WebConsole.Sessions;
using Agents.WebConsole.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace Agents.WebConsole.Tests;

/// <summary>The console's copy of the session the API's login answered: same values, its own path, stricter attributes.</summary>
public sealed class SessionCookiesTests
{
    private static DefaultHttpContext LoginResponse(bool https, params string[] setCookies)
    {
        var http = new DefaultHttpContext();
        http.Request.IsHttps = https;
        http.Response.Headers.SetCookie = setCookies;
        return http;
    }

    private static SessionCookies Cookies(bool crossSite = false) =>
        new(new ScriptedApi(), Microsoft.Extensions.Options.Options.Create(new ConsoleOptions { CrossSiteFraming = crossSite }));

    private static string[] Copied(HttpContext http) =>
        [.. http.Response.Headers.SetCookie.OfType<string>().Where(c => c.Contains("path=/console", StringComparison.OrdinalIgnoreCase))];

    [Fact]
    public void the_apis_session_is_kept_for_the_console_http_only_and_same_site_strict()
    {
        var http = LoginResponse(false, "JSESSIONID=ABC.agents; path=/client; samesite=lax; httponly", "sessionkey=k3y; path=/client; samesite=lax; httponly");
        Assert.True(Cookies().CopyFromLogin(http));
        var copied = Copied(http);
        Assert.Equal(2, copied.Length);
        Assert.Contains(copied, c => c.StartsWith("JSESSIONID=ABC.agents;", StringComparison.Ordinal));
        Assert.Contains(copied, c => c.StartsWith("sessionkey=k3y;", StringComparison.Ordinal));
        Assert.All(copied, c => Assert.Contains("samesite=strict", c, StringComparison.OrdinalIgnoreCase));
        Assert.All(copied, c => Assert.Contains("httponly", c, StringComparison.OrdinalIgnoreCase));
        Assert.All(copied, c => Assert.DoesNotContain("secure", c, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void a_session_the_api_marked_secure_behind_an_https_proxy_stays_secure() =>
        Assert.All(CopyOf(false, "JSESSIONID=A; path=/client; secure; httponly", "sessionkey=k; path=/client; secure; httponly"),
            c => Assert.Contains("secure", c, StringComparison.OrdinalIgnoreCase));

    [Fact]
    public void over_tls_the_console_cookies_are_secure() =>
        Assert.All(CopyOf(true, "JSESSIONID=A; path=/client; httponly", "sessionkey=k; path=/client; httponly"),
            c => Assert.Contains("secure", c, StringComparison.OrdinalIgnoreCase));

    [Fact]
    public void framed_by_another_site_they_are_same_site_none_secure_and_partitioned()
    {
        var http = LoginResponse(true, "JSESSIONID=A; path=/client; httponly", "sessionkey=k; path=/client; httponly");
        Assert.True(Cookies(crossSite: true).CopyFromLogin(http));
        Assert.All(Copied(http), c =>
        {
            Assert.Contains("samesite=none", c, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("secure", c, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("partitioned", c, StringComparison.OrdinalIgnoreCase);
        });
    }

    [Fact]
    public void a_login_answer_without_both_session_cookies_signs_nobody_in()
    {
        var http = LoginResponse(false, "JSESSIONID=A; path=/client; httponly");
        Assert.False(Cookies().CopyFromLogin(http));
        Assert.Empty(Copied(http));
    }

    private static string[] CopyOf(bool https, params string[] setCookies)
    {
        var http = LoginResponse(https, setCookies);
        Assert.True(Cookies().CopyFromLogin(http));
        var copied = Copied(http);
        Assert.Equal(2, copied.Length);
        return copied;
    }
}
