namespace Agents.Cli.Api;

/// <summary>The API said no: CloudStack's <c>errorcode</c> and <c>errortext</c> (exit code 1).</summary>
public sealed class ApiError : Exception
{
    public ApiError() { }
    public ApiError(string message) : base(message) { }
    public ApiError(string message, Exception innerException) : base(message, innerException) { }
    public ApiError(int errorCode, string errorText) : base($"error {errorCode}: {errorText}") => ErrorCode = errorCode;

    public int ErrorCode { get; }
}
