using System.Security.Claims;
using Agents.WebConsole.Api;
using Agents.WebConsole.Hosting;
using Microsoft.AspNetCore.Http;

namespace Agents.WebConsole.Sessions;

/// <summary>
/// Every console request but the sign-in page and the assets needs a live API session: the API checks
/// the session cookies (<see cref="IConsoleApi.AuthenticateAsync"/>). Without one, a page is redirected
/// to sign-in (framed pages too: the frame signs in by itself) and anything else answers 401. The user
/// becomes the request's principal, so anti-forgery tokens are bound to it.
/// </summary>
public sealed class ConsoleSessionMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext http, IConsoleApi api, ConsoleContext context)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(context);
        context.Embedded = http.Request.Query["embed"] == "1";
        var path = http.Request.Path;
        var user = await api.AuthenticateAsync(http.Request, http.RequestAborted).ConfigureAwait(false);
        if (user is not null)
        {
            context.User = user;
            http.User = new ClaimsPrincipal(new ClaimsIdentity(
                [new Claim(ClaimTypes.NameIdentifier, user.Account + "/" + user.UserName), new Claim(ClaimTypes.Name, user.UserName)], "api-session"));
        }
        if (user is null && !IsPublic(path))
        {
            if (HttpMethods.IsGet(http.Request.Method) && !path.StartsWithSegments(ConsolePaths.Live))
                http.Response.Redirect(ConsolePaths.SignIn(http.Request.Path + http.Request.QueryString, context.Embedded));
            else
                http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }
        await next(http).ConfigureAwait(false);
    }

    private static bool IsPublic(PathString path) =>
        path.StartsWithSegments(ConsolePaths.Login) || path.StartsWithSegments(ConsolePaths.Assets);
}
