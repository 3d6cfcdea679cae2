using System.Diagnostics;
using System.Text.Json.Nodes;
using Agents.Producers.Accounts;
using Agents.Storage;

namespace Agents.Producers.Api;

/// <summary>
/// <c>GET|POST /client/api?command=…</c>, in CloudStack's order: parameters from the query string
/// and a form body; an unknown command is refused (432, <c>errorresponse</c>) before anything
/// else; the caller is authenticated (session or signature: 401) unless the handler is for
/// anyone (login); a user may not call an admin handler (432); the parameters are checked against
/// the handler's declaration; the answer is JSON with <c>response=json</c> and XML otherwise. An
/// error answer carries the command's own response name and its errorcode as the HTTP status.
/// Logs name the command, account and outcome, never parameter values (they may hold secrets).
/// </summary>
public static class ApiEndpoint
{
    public const string Path = "/client/api";
    public const string ErrorResponse = "errorresponse";

    public static IEndpointRouteBuilder MapCloudStackApi(this IEndpointRouteBuilder app)
    {
        app.MapMethods(Path, ["GET", "POST"], HandleAsync);
        return app;
    }

    private static async Task HandleAsync(HttpContext http, ApiRegistry registry, RequestAuthenticator authenticator, RefusalAudit refusals, ILoggerFactory loggers)
    {
        Caller? caller = null;
        IApiHandler? handler = null;
        var logger = loggers.CreateLogger(typeof(ApiEndpoint).FullName!);
        var started = Stopwatch.StartNew();
        var name = http.Request.Query["command"].FirstOrDefault() ?? "";
        var format = FormatOf(http.Request.Query["response"].FirstOrDefault());
        try
        {
            var parameters = await ReadParametersAsync(http.Request).ConfigureAwait(false);
            name = parameters.GetValueOrDefault("command", "");
            format = FormatOf(parameters.GetValueOrDefault("response"));
            handler = registry.Find(name);
            if (handler is null)
            {
                if (name.Length == 0) throw ApiException.Unauthorized(RequestAuthenticator.Refused);
                throw ApiException.Unsupported();
            }
            var definition = handler.Definition;
            caller = definition.Access == ApiAccess.Anonymous
                ? new Caller("", Role.User)
                : await authenticator.AuthenticateAsync(parameters, http.Request.Cookies, http.RequestAborted).ConfigureAwait(false);
            if (!ApiRegistry.Allows(caller, definition)) throw ApiException.Unsupported();
            var call = new ApiCall(caller, definition, parameters);
            call.Validate();
            var result = await handler.HandleAsync(call, http.RequestAborted).ConfigureAwait(false);
            logger.LogInformation("API {Command} by {Account}: ok in {ElapsedMs} ms{JobSuffix}", definition.Name, caller.Account,
                started.ElapsedMilliseconds, result["jobid"] is { } job ? $" (job {job})" : "");
            await WriteAsync(http, 200, format, definition.ResponseName, result).ConfigureAwait(false);
        }
        catch (ApiException e)
        {
            logger.LogInformation("API {Command}: error {ErrorCode} {ErrorText}", Safe(name), e.ErrorCode, e.Message);
            await WriteErrorAsync(http, format, handler?.Definition.ResponseName ?? ErrorResponse, e).ConfigureAwait(false);
            await refusals.RecordAsync(name, caller?.Account is { Length: > 0 } account ? account : null, http.Connection.RemoteIpAddress?.ToString(), e).ConfigureAwait(false);
        }
        catch (Exception e) when (DatabaseFailure.In(e) is { } db)
        {
            // no stack trace: an operator needs to know the database is away, not where the API noticed
            logger.LogWarning("API {Command}: the database is unavailable ({DatabaseError})", Safe(name), db.Message);
            await WriteErrorAsync(http, format, handler?.Definition.ResponseName ?? ErrorResponse, ApiException.DatabaseUnavailable()).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "API {Command} failed", Safe(name));
            await WriteErrorAsync(http, format, handler?.Definition.ResponseName ?? ErrorResponse,
                new ApiException(ApiErrorCode.InternalError, "Internal error executing command, please contact your system administrator")).ConfigureAwait(false);
        }
    }

    /// <summary>CloudStack's ExceptionResponse: uuidList, errorcode, cserrorcode (when it has one), errortext.</summary>
    public static JsonObject ErrorBody(ApiException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var body = new JsonObject { ["uuidList"] = new JsonArray(), ["errorcode"] = e.ErrorCode };
        if (e.CsErrorCode is { } cs) body["cserrorcode"] = cs;
        body["errortext"] = e.Message;
        return body;
    }

    public static ApiResponseFormat FormatOf(string? response) =>
        string.Equals(response, "json", StringComparison.OrdinalIgnoreCase) ? ApiResponseFormat.Json : ApiResponseFormat.Xml;

    private static string Safe(string command) => new([.. command.Take(64).Select(c => char.IsAsciiLetterOrDigit(c) ? c : '?')]);

    private static async Task<Dictionary<string, string>> ReadParametersAsync(HttpRequest request)
    {
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        void Add(string key, Microsoft.Extensions.Primitives.StringValues values)
        {
            if (values.Count != 1 || !parameters.TryAdd(key, values[0] ?? ""))
                throw new ApiException(ApiErrorCode.MalformedParameter, $"parameter {key} is given more than once");
        }
        foreach (var (key, values) in request.Query) Add(key, values);
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync().ConfigureAwait(false);
            foreach (var (key, values) in form) Add(key, values);
        }
        return parameters;
    }

    private static Task WriteErrorAsync(HttpContext http, ApiResponseFormat format, string responseName, ApiException e) =>
        WriteAsync(http, e.ErrorCode, format, responseName, ErrorBody(e));

    private static async Task WriteAsync(HttpContext http, int status, ApiResponseFormat format, string responseName, JsonObject body)
    {
        if (http.Response.HasStarted) return;
        http.Response.StatusCode = status;
        http.Response.ContentType = ApiResponseSerializer.ContentType(format);
        http.Response.Headers.XContentTypeOptions = "nosniff";
        await http.Response.WriteAsync(ApiResponseSerializer.Serialize(format, responseName, body)).ConfigureAwait(false);
    }
}
