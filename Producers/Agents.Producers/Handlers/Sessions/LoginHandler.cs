using System.Text.Json.Nodes;
using Agents.Producers.Accounts;
using Agents.Producers.Api;
using Agents.Producers.Handlers.Accounts;
using Agents.Producers.Sessions;
using Microsoft.Extensions.Options;

namespace Agents.Producers.Handlers.Sessions;

/// <summary>
/// login, as CloudStack's DefaultLoginAPIAuthenticatorCmd: POST only (405 otherwise); a good user
/// name and password start a session, answered with CloudStack's loginresponse fields, a
/// JSESSIONID cookie and an HttpOnly sessionkey cookie. Wrong credentials answer 531 after the
/// throttle's delay and are recorded (the refusal event of every refused call).
/// </summary>
public sealed class LoginHandler(
    IAccountStore accounts, SessionStore sessions, LoginThrottle throttle, IHttpContextAccessor http, IOptions<ProducersOptions> options, ILogger<LoginHandler> logger) : IApiHandler
{
    private static readonly ApiParameter Username = new("username", ApiParameterType.String, "Username") { Required = true };
    private static readonly ApiParameter Password = new("password", ApiParameterType.String, "Hashed password (Default is MD5). If you wish to use any other hashing algorithm, you would need to write a custom authentication adapter See Docs section.") { Required = true };
    private static readonly ApiParameter Domain = new("domain", ApiParameterType.String, "Path of the domain that the user belongs to. Example: domain=/com/cloud/internal. If no domain is passed in, the ROOT (/) domain is assumed.");
    private static readonly ApiParameter DomainId = new("domainId", ApiParameterType.String, "The id of the domain that the user belongs to. If both domain and domainId are passed in, \"domainId\" parameter takes precedence.");

    public ApiDefinition Definition { get; } = new("login",
        "Logs a user into the CloudStack. A successful login attempt will generate a JSESSIONID cookie value that can be passed in subsequent Query command calls until the \"logout\" command has been issued or the session has expired.")
    {
        Access = ApiAccess.Anonymous,
        Parameters = [Username, Password, Domain, DomainId],
        ResponseObject = "login",
        Response =
        [
            ApiResponseField.String("username", "Username"), ApiResponseField.String("userid", "User ID"), ApiResponseField.String("domainid", "Domain ID that the user belongs to"),
            ApiResponseField.Integer("timeout", "the time period before the session has expired"), ApiResponseField.String("account", "the account name the user belongs to"),
            ApiResponseField.String("firstname", "first name of the user"), ApiResponseField.String("lastname", "last name of the user"),
            ApiResponseField.String("type", "the account type (admin, domain-admin, read-only-admin, user)"), ApiResponseField.String("registered", "Is user registered"),
            ApiResponseField.String("sessionkey", "Session key that can be passed in subsequent Query command calls"),
        ],
    };

    public async Task<JsonObject> HandleAsync(ApiCall call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        var context = http.HttpContext ?? throw new InvalidOperationException("login outside an HTTP request");
        if (!HttpMethods.IsPost(context.Request.Method))
            throw new ApiException(ApiErrorCode.MethodNotAllowed, "Please use HTTP POST to authenticate using this API");
        var username = call.Required(Username);
        var password = call.Required(Password);
        var address = context.Connection.RemoteIpAddress?.ToString();
        CheckDomain(call, username);
        var delay = throttle.DelayFor(username, address);
        if (delay > TimeSpan.Zero) await Task.Delay(delay, ct).ConfigureAwait(false);
        var login = await accounts.FindLoginAsync(username, ct).ConfigureAwait(false);
        if (login is null) PasswordHasher.Waste(password);
        if (login is not { } found || !PasswordHasher.Verify(password, found.PasswordHash) || found.User.State != "enabled")
        {
            throttle.Failed(username, address);
            logger.LogWarning("Login of {Username} from {Address} refused (waited {DelayMs} ms)", Printable(username), address, (int)delay.TotalMilliseconds);
            throw Refused(username);
        }
        throttle.Succeeded(username, address);
        var user = found.User;
        var session = await sessions.CreateAsync(user.AsCaller(), ct).ConfigureAwait(false);
        // behind an HTTPS proxy the request itself is plain http: Producers:Sessions:SecureCookies says so
        var secure = context.Request.IsHttps || options.Value.Sessions.SecureCookies;
        context.Response.Cookies.Append(RequestAuthenticator.SessionCookie, $"{session.Id}.{SessionStore.Node}",
            new CookieOptions { HttpOnly = true, Path = "/client", Secure = secure, SameSite = SameSiteMode.Lax });
        context.Response.Cookies.Append(RequestAuthenticator.SessionKey, session.Key,
            new CookieOptions { HttpOnly = true, Path = "/client", Secure = secure, SameSite = SameSiteMode.Lax });
        logger.LogInformation("User {Username} of {Account} signed in from {Address}", user.Username, user.Account, address);
        var response = new JsonObject
        {
            ["username"] = user.Username,
            ["userid"] = user.Id,
            ["domainid"] = RootDomain.Id,
            ["timeout"] = (int)sessions.IdleTimeout.TotalSeconds,
            ["account"] = user.Account,
        }.With("firstname", user.FirstName).With("lastname", user.LastName);
        response["type"] = user.Role == Role.Admin ? "1" : "0";
        response["registered"] = "false";
        response["sessionkey"] = session.Key;
        return response;
    }

    /// <summary>Only the ROOT domain exists: by path (<c>/</c>, <c>ROOT</c>) or by id.</summary>
    private static void CheckDomain(ApiCall call, string username)
    {
        if (call.Optional(DomainId) is { } id && id != RootDomain.Id) throw Refused(username);
        if (call.Optional(Domain) is { } path && path.Trim('/') is not ("" or RootDomain.Name))
            throw new ApiException(ApiErrorCode.AccountError, $"Unable to find the domain from the path /{path.Trim('/')}/", null);
    }

    private static ApiException Refused(string username) =>
        new(ApiErrorCode.AccountError, $"Failed to authenticate user {Printable(username)} in domain {RootDomain.Name}; please provide valid credentials", null);

    private static string Printable(string text) => new([.. text.Take(64).Select(c => char.IsControl(c) ? '?' : c)]);
}
