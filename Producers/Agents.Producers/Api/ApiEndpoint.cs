using System.Diagnostics;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Agents.Producers.Api;

/// <summary>
/// <c>GET|POST /client/api?command=…&amp;response=json</c>: parameters from the query string and a
/// form body, the signature checked, the command run, the answer in CloudStack's shape. Logs name
/// the command, account and outcome, never parameter values (they may hold secrets).
/// </summary>
public static class ApiEndpoint
{
    public const string Path = "/client/api";

    public static IEndpointRouteBuilder MapCloudStackApi(this IEndpointRouteBuilder app)
    {
        app.MapMethods(Path, ["GET", "POST"], HandleAsync);
        return app;
    }

    private static async Task HandleAsync(HttpContext http, CommandCatalog catalog, RequestAuthenticator authenticator, RefusalAudit refusals, ILoggerFactory loggers)
    {
        Accounts.Caller? caller = null;
        var logger = loggers.CreateLogger(typeof(ApiEndpoint).FullName!);
        var started = Stopwatch.StartNew();
        var name = http.Request.Query["command"].FirstOrDefault() ?? "";
        try
        {
            var parameters = await ReadParametersAsync(http.Request).ConfigureAwait(false);
            name = parameters.GetValueOrDefault("command", "");
            if (parameters.TryGetValue("response", out var format) && !format.Equals("json", StringComparison.OrdinalIgnoreCase))
                throw ApiException.Parameter("only response=json is supported");
            caller = await authenticator.AuthenticateAsync(parameters, http.RequestAborted).ConfigureAwait(false);
            var command = catalog.Find(name);
            if (command is null || (command.AdminOnly && !caller.IsAdmin))
                throw new ApiException(ApiErrorCode.UnsupportedAction, $"The given command '{name}' does not exist or it is not available for user");
            name = command.Name;
            var result = await command.ExecuteAsync(new ApiCall(caller, command.Name, parameters), http.RequestAborted).ConfigureAwait(false);
            logger.LogInformation("API {Command} by {Account}: ok in {ElapsedMs} ms{JobSuffix}", command.Name, caller.Account,
                started.ElapsedMilliseconds, result["jobid"] is { } job ? $" (job {job})" : "");
            await WriteAsync(http, 200, new JObject { [ResponseName(name)] = result }).ConfigureAwait(false);
        }
        catch (ApiException e)
        {
            logger.LogInformation("API {Command}: error {ErrorCode} {ErrorText}", name, e.ErrorCode, e.Message);
            await WriteErrorAsync(http, name, e.ErrorCode, e.Message).ConfigureAwait(false);
            await refusals.RecordAsync(name, caller?.Account, http.Connection.RemoteIpAddress?.ToString(), e).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "API {Command} failed", name);
            await WriteErrorAsync(http, name, ApiErrorCode.InternalError, "Internal error executing command, please contact your system administrator").ConfigureAwait(false);
        }
    }

    public static string ResponseName(string command) => string.IsNullOrEmpty(command) ? "errorresponse" : command.ToLowerInvariant() + "response";

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

    private static Task WriteErrorAsync(HttpContext http, string command, int code, string text) =>
        WriteAsync(http, code, new JObject
        {
            [ResponseName(command)] = new JObject
            {
                ["uuidList"] = new JArray(),
                ["errorcode"] = code,
                ["cserrorcode"] = 9999,
                ["errortext"] = text,
            },
        });

    private static async Task WriteAsync(HttpContext http, int status, JObject body)
    {
        if (http.Response.HasStarted) return;
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json; charset=utf-8";
        await http.Response.WriteAsync(body.ToString(Formatting.None)).ConfigureAwait(false);
    }
}
