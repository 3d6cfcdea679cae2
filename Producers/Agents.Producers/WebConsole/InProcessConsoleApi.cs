using System.Diagnostics;
using System.Text.Json.Nodes;
using Agents.WebConsole.Api;
using Agents.Producers.Accounts;
using Agents.Producers.Api;

namespace Agents.Producers.WebConsole;

/// <summary>
/// The API's side of the console's seam: the console's calls go through the same registry, the
/// same permission check (<see cref="ApiRegistry.Allows"/>), the same parameter checks and handlers
/// as <c>/client/api</c>, as the signed-in caller, and a refusal is recorded like any refused call
/// (a failed sign-in too). The session check is <see cref="RequestAuthenticator"/>'s own: the
/// console's cookies hold the same session id and key as the API's.
/// </summary>
public sealed class InProcessConsoleApi(
    ApiRegistry registry, RequestAuthenticator authenticator, RefusalAudit refusals, IHttpContextAccessor http, ILogger<InProcessConsoleApi> logger) : IConsoleApi
{
    private static readonly Caller Nobody = new("", Role.User);

    public IReadOnlyList<string> SessionCookieNames { get; } = [RequestAuthenticator.SessionCookie, RequestAuthenticator.SessionKey];

    public async Task<ConsoleUser?> AuthenticateAsync(HttpRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrEmpty(request.Cookies[RequestAuthenticator.SessionCookie])) return null;
        // the console's forms carry an anti-forgery token, so the cookie stands for the sessionkey parameter
        var key = request.Cookies[RequestAuthenticator.SessionKey] ?? "";
        try
        {
            var caller = await authenticator.AuthenticateAsync(
                new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { [RequestAuthenticator.SessionKey] = key }, request.Cookies, ct).ConfigureAwait(false);
            return new ConsoleUser(caller.UserName ?? caller.Account, caller.Account, caller.IsAdmin, caller);
        }
        catch (ApiException)
        {
            return null;
        }
    }

    public async Task<JsonObject> CallAsync(ConsoleUser? user, string command, IReadOnlyDictionary<string, string> parameters, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(parameters);
        var caller = user?.Caller as Caller ?? Nobody;
        var started = Stopwatch.StartNew();
        try
        {
            var handler = registry.Find(command) ?? throw ApiException.Unsupported();
            var definition = handler.Definition;
            if (user is null && definition.Access != ApiAccess.Anonymous) throw ApiException.Unauthorized(RequestAuthenticator.SessionRefused);
            if (!ApiRegistry.Allows(caller, definition)) throw ApiException.Unsupported();
            var call = new ApiCall(caller, definition, new Dictionary<string, string>(parameters, StringComparer.OrdinalIgnoreCase));
            call.Validate();
            var result = await handler.HandleAsync(call, ct).ConfigureAwait(false);
            logger.LogDebug("Console {Command} by {Account}: ok in {ElapsedMs} ms", command, caller.Account, started.ElapsedMilliseconds);
            return result;
        }
        catch (ApiException e)
        {
            logger.LogInformation("Console {Command} by {Account}: error {ErrorCode} {ErrorText}", command, caller.Account, e.ErrorCode, e.Message);
            await refusals.RecordAsync(command, caller.Account.Length > 0 ? caller.Account : null, http.HttpContext?.Connection.RemoteIpAddress?.ToString(), e).ConfigureAwait(false);
            throw new ConsoleApiException(e.ErrorCode, e.Message);
        }
    }
}
