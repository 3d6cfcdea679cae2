using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Agents.WebConsole.Api;

/// <summary>
/// The console's one way into the API: the session check and the dispatch of a command exactly as
/// <c>/client/api</c> would dispatch it for the same caller (same handlers, same permission checks,
/// same refusals recorded). The API process implements it in-process; the console never reads a
/// store of its own.
/// </summary>
public interface IConsoleApi
{
    /// <summary>
    /// The names of the cookies that hold the API's session (CloudStack's <c>JSESSIONID</c> and <c>sessionkey</c>),
    /// which <c>login</c> sets for <c>/client</c>; the console keeps the same values for its own path.
    /// </summary>
    IReadOnlyList<string> SessionCookieNames { get; }

    /// <summary>The user whose API session the request's <c>JSESSIONID</c> and <c>sessionkey</c> cookies name, or null.</summary>
    Task<ConsoleUser?> AuthenticateAsync(HttpRequest request, CancellationToken ct);

    /// <summary>
    /// The answer's object (inside <c>&lt;command&gt;response</c>); a refusal is a <see cref="ConsoleApiException"/>
    /// with CloudStack's errorcode and errortext. <paramref name="user"/> null calls as nobody (login, logout).
    /// </summary>
    Task<JsonObject> CallAsync(ConsoleUser? user, string command, IReadOnlyDictionary<string, string> parameters, CancellationToken ct);
}
