namespace Agents.Producers.Api;

/// <summary>CloudStack's API error codes (ApiErrorCode).</summary>
public static class ApiErrorCode
{
    public const int Unauthorized = 401;
    public const int MalformedParameter = 430;
    public const int ParameterError = 431;
    public const int UnsupportedAction = 432;
    public const int InternalError = 530;
    public const int AccountError = 531;
    public const int ResourceUnavailable = 534;
    public const int ResourceInUse = 536;
}

/// <summary>A refused call: becomes <c>{"&lt;command&gt;response": {"errorcode": …, "errortext": …}}</c> with that HTTP status.</summary>
public sealed class ApiException(int errorCode, string errorText) : Exception(errorText)
{
    public int ErrorCode => errorCode;

    public static ApiException Parameter(string text) => new(ApiErrorCode.ParameterError, text);

    public static ApiException Missing(string name) => new(ApiErrorCode.ParameterError, $"Unable to execute API command due to missing parameter {name}");

    public static ApiException Denied(string text) => new(ApiErrorCode.AccountError, text);

    public static ApiException NotFound(string what) => new(ApiErrorCode.ParameterError, $"Unable to find {what}");
}
