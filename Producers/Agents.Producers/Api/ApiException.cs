namespace Agents.Producers.Api;

/// <summary>
/// A refused call: answered as <c>{"&lt;command&gt;response": {"uuidList": [], "errorcode": …, "cserrorcode": …, "errortext": …}}</c>
/// with <see cref="ErrorCode"/> as the HTTP status. <see cref="CsErrorCode"/> is null where CloudStack
/// writes none (a refused signature or session, a failed login).
/// </summary>
public sealed class ApiException(int errorCode, string errorText, int? csErrorCode = Api.CsErrorCode.ServerApi) : Exception(errorText)
{
    public int ErrorCode => errorCode;

    public int? CsErrorCode => csErrorCode;

    /// <summary>An InvalidParameterValueException: 431, 4350.</summary>
    public static ApiException Parameter(string text) => new(ApiErrorCode.ParameterError, text, Api.CsErrorCode.InvalidParameterValue);

    /// <summary>ParamProcessWorker's missing parameter: 431, 9999.</summary>
    public static ApiException Missing(string command, string name) =>
        new(ApiErrorCode.ParameterError, $"Unable to execute API command {command.ToLowerInvariant()} due to missing parameter {name}");

    /// <summary>A PermissionDeniedException: 531, 4365.</summary>
    public static ApiException Denied(string text) => new(ApiErrorCode.AccountError, text, Api.CsErrorCode.PermissionDenied);

    public static ApiException NotFound(string what) => Parameter($"Unable to find {what}");

    /// <summary>A ResourceUnavailableException: 534, 4380.</summary>
    public static ApiException Unavailable(string text) => new(ApiErrorCode.ResourceUnavailable, text, Api.CsErrorCode.ResourceUnavailable);

    /// <summary>A ResourceInUseException: 536, 4375.</summary>
    public static ApiException InUse(string text) => new(ApiErrorCode.ResourceInUse, text, Api.CsErrorCode.ResourceInUse);

    /// <summary>The API's database did not answer (down, restarting, unreachable): 530 with CloudStack's CloudRuntimeException code, 4250.</summary>
    public static ApiException DatabaseUnavailable() => new(ApiErrorCode.InternalError,
        "The management server's database is unavailable, so the command was not carried out; try again shortly", Api.CsErrorCode.CloudRuntime);

    /// <summary>An unknown command, or one the caller may not call: 432.</summary>
    public static ApiException Unsupported() => new(ApiErrorCode.UnsupportedAction, "The given command does not exist or it is not available for user");

    /// <summary>A refused signature, key or session: 401 without cserrorcode, as ApiServlet writes it.</summary>
    public static ApiException Unauthorized(string text) => new(ApiErrorCode.Unauthorized, text, null);
}
