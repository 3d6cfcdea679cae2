using System.Text.Json.Nodes;
using Agents.Producers.Api;
using Agents.Producers.Sessions;

namespace Agents.Producers.Handlers.Sessions;

/// <summary>logout: ends the session the JSESSIONID cookie names and expires both cookies (CloudStack's LOGOUT_API).</summary>
public sealed class LogoutHandler(SessionStore sessions, IHttpContextAccessor http) : IApiHandler
{
    public ApiDefinition Definition { get; } = new("logout", "Logs out the user")
    {
        Access = ApiAccess.Anonymous,
        ResponseObject = "logout",
        Response = [ApiResponseField.String("description", "Response description")],
    };

    public async Task<JsonObject> HandleAsync(ApiCall call, CancellationToken ct)
    {
        var context = http.HttpContext ?? throw new InvalidOperationException("logout outside an HTTP request");
        if (await sessions.FindAsync(context.Request.Cookies[RequestAuthenticator.SessionCookie], ct).ConfigureAwait(false) is { } session)
            await sessions.EndAsync(session, ct).ConfigureAwait(false);
        foreach (var cookie in new[] { RequestAuthenticator.SessionCookie, RequestAuthenticator.SessionKey })
            context.Response.Cookies.Delete(cookie, new CookieOptions { Path = "/client", HttpOnly = true });
        return new JsonObject { ["description"] = "success" };
    }
}
