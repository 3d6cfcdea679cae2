using Agents.Producers.Accounts;
using Agents.Producers.Sessions;
using Agents.Security.Signing;

namespace Agents.Producers.Api;

/// <summary>
/// Who is calling, as CloudStack's ApiServlet decides it. A request whose JSESSIONID cookie names a
/// live session must carry that session's key both as the <c>sessionkey</c> cookie and the
/// <c>sessionkey</c> parameter (CloudStack's default CookieAndParameter check, which a forged
/// cross-site request cannot pass); a mismatch ends the session. Any other request is checked as
/// ApiServer.verifyRequest does: a known apiKey, the HMAC-SHA1 signature over every other
/// parameter, and with <c>signatureversion=3</c> an <c>expires</c> that has not passed. Refusals
/// say little (401); the log says which part was wrong.
/// </summary>
public sealed class RequestAuthenticator(IAccountStore accounts, SessionStore sessions, TimeProvider time, ILogger<RequestAuthenticator> logger)
{
    public const string Refused = "unable to verify user credentials and/or request signature";
    public const string SessionRefused = "unable to verify user credentials";
    public const string SessionCookie = "JSESSIONID";
    public const string SessionKey = "sessionkey";

    public async Task<Caller> AuthenticateAsync(IReadOnlyDictionary<string, string> parameters, IRequestCookieCollection cookies, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(cookies);
        if (await sessions.FindAsync(cookies[SessionCookie], ct).ConfigureAwait(false) is { } session)
        {
            var fromCookie = cookies[SessionKey];
            var fromParameter = parameters.GetValueOrDefault(SessionKey);
            if (session.Matches(fromCookie) && session.Matches(fromParameter) && fromCookie == fromParameter) return session.Caller;
            await sessions.EndAsync(session, ct).ConfigureAwait(false);
            logger.LogWarning("Session of {Account} ended: the sessionkey {Where} did not match", session.Caller.Account,
                fromCookie is null ? "cookie was missing" : fromParameter is null ? "parameter was missing" : "cookie or parameter");
            throw ApiException.Unauthorized(SessionRefused);
        }
        if (!parameters.TryGetValue("apiKey", out var apiKey) || string.IsNullOrEmpty(apiKey)) throw Deny("no apiKey and no session");
        if (!parameters.TryGetValue("signature", out var signature) || string.IsNullOrEmpty(signature)) throw Deny("no signature");
        var found = await accounts.FindAsync(apiKey, ct).ConfigureAwait(false) ?? throw Deny("unknown apiKey");
        var expected = CloudStackSignature.Sign(parameters, found.SecretKey);
        if (!CloudStackSignature.Matches(expected, signature)) throw Deny($"bad signature for account {found.Caller.Account}");
        if (parameters.TryGetValue("signatureVersion", out var version) && version == "3")
        {
            if (!parameters.TryGetValue("expires", out var expires) || ApiCall.ParseDate(expires) is not { } at)
                throw Deny($"signatureversion=3 without a valid expires (account {found.Caller.Account})");
            if (at < time.GetUtcNow())
                throw ApiException.Unauthorized($"{Refused}: the request expired at {at:yyyy-MM-dd'T'HH:mm:ssK}");
        }
        return found.Caller;
    }

    private ApiException Deny(string why)
    {
        logger.LogWarning("Request refused: {Reason}", why);
        return ApiException.Unauthorized(Refused);
    }
}
