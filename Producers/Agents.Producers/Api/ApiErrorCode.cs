namespace Agents.Producers.Api;

/// <summary>CloudStack's API error codes (ApiErrorCode): the <c>errorcode</c> of an error answer and its HTTP status.</summary>
public static class ApiErrorCode
{
    public const int Unauthorized = 401;
    public const int MethodNotAllowed = 405;
    public const int ApiLimitExceeded = 429;
    public const int MalformedParameter = 430;
    public const int ParameterError = 431;
    public const int UnsupportedAction = 432;
    public const int InternalError = 530;
    public const int AccountError = 531;
    public const int ResourceUnavailable = 534;
    public const int ResourceInUse = 536;
}
