namespace Agents.Producers.Api;

/// <summary>
/// CloudStack's <c>cserrorcode</c> (CSExceptionErrorCode): which kind of exception refused the
/// call. A ServerApiException of its own is 9999; one wrapping an InvalidParameterValueException
/// keeps 4350, a PermissionDeniedException 4365, and so on.
/// </summary>
public static class CsErrorCode
{
    public const int CloudRuntime = 4250;
    public const int InvalidParameterValue = 4350;
    public const int PermissionDenied = 4365;
    public const int ResourceInUse = 4375;
    public const int ResourceUnavailable = 4380;
    public const int ServerApi = 9999;
}
