using System.Text;
using System.Text.Json;
using Agents.WebConsole.Api;
using Agents.WebConsole.Components;
using Agents.WebConsole.Live;
using Agents.WebConsole.Sessions;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Agents.WebConsole.Hosting;

/// <summary>Serves the console: headers and session check on /console, the pages, assets, live notices and downloads.</summary>
public static class ConsoleEndpoints
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    public static WebApplication MapAgentsConsole(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (!app.Services.GetRequiredService<IOptions<ConsoleOptions>>().Value.Enabled) return app;
        app.UseWhen(http => http.Request.Path.StartsWithSegments(ConsolePaths.Root), console =>
        {
            console.UseMiddleware<SecurityHeaders>();
            console.UseMiddleware<ConsoleSessionMiddleware>();
        });
        app.UseAntiforgery();
        app.MapGet(ConsolePaths.Assets + "/{name}", ServeAsset);
        app.MapGet(ConsolePaths.Live, StreamNoticesAsync);
        app.MapGet(ConsolePaths.CaCertificate, CaCertificateAsync);
        app.MapPost(ConsolePaths.Logout, LogoutAsync).WithMetadata(new RequireAntiforgeryTokenAttribute());
        app.MapRazorComponents<App>();
        return app;
    }

    private static IResult ServeAsset(string name, HttpContext http, ConsoleAssets assets)
    {
        if (assets.Find(name) is not { } asset) return Results.NotFound();
        http.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
        return Results.Bytes(asset.Content, asset.ContentType, entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{asset.Hash}\""));
    }

    /// <summary>Server-sent events: every notice this user may see, and a comment line now and then so proxies keep the stream open.</summary>
    private static async Task StreamNoticesAsync(HttpContext http, ConsoleContext context, LiveFeed feed, IConsoleApi api)
    {
        var user = context.RequireUser();
        var audience = new NoticeAudience(api, user);
        http.Response.ContentType = "text/event-stream; charset=utf-8";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        using var subscription = feed.Subscribe();
        var ct = http.RequestAborted;
        await http.Response.WriteAsync(": connected\nretry: 3000\n\n", ct).ConfigureAwait(false);
        await http.Response.Body.FlushAsync(ct).ConfigureAwait(false);
        try
        {
            while (!ct.IsCancellationRequested)
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
                wait.CancelAfter(Heartbeat);
                string frame;
                try
                {
                    var notice = await subscription.Reader.ReadAsync(wait.Token).ConfigureAwait(false);
                    if (!await audience.AllowsAsync(notice, ct).ConfigureAwait(false)) continue;
                    frame = "event: notice\ndata: " + JsonSerializer.Serialize(notice, LiveJson.Default.LiveNotice) + "\n\n";
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    frame = ": heartbeat\n\n";
                }
                await http.Response.WriteAsync(frame, Encoding.UTF8, ct).ConfigureAwait(false);
                await http.Response.Body.FlushAsync(ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // the browser went away
        }
    }

    /// <summary>
    /// The API's logout ends the session (for /client and /console alike); the console's cookies go too.
    /// A minimal endpoint binds no form, so the anti-forgery middleware's verdict is checked here: a forged
    /// logout changes nothing.
    /// </summary>
    private static async Task<IResult> LogoutAsync(HttpContext http, ConsoleContext context, IConsoleApi api, SessionCookies cookies)
    {
        if (http.Features.Get<IAntiforgeryValidationFeature>() is not { IsValid: true }) return Results.BadRequest();
        try
        {
            await api.CallAsync(context.User, "logout", new Dictionary<string, string>(), http.RequestAborted).ConfigureAwait(false);
        }
        finally
        {
            cookies.Delete(http);
        }
        return Results.Redirect(ConsolePaths.Login + (context.Embedded ? "?embed=1" : ""));
    }

    private static async Task<IResult> CaCertificateAsync(ConsoleContext context, HttpContext http)
    {
        var reply = await context.CallAsync("listCaCertificate", http.RequestAborted).ConfigureAwait(false);
        var pem = ApiReply.Text(reply["cacertificates"], "certificate") ?? "";
        return Results.File(Encoding.ASCII.GetBytes(pem), "application/x-pem-file", "agents-ca.pem");
    }
}
