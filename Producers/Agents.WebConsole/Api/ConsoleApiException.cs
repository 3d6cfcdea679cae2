namespace Agents.WebConsole.Api;

/// <summary>The API refused a call: CloudStack's errorcode (431, 432, 530, 531 …) and errortext.</summary>
public sealed class ConsoleApiException : Exception
{
    public ConsoleApiException(int errorCode, string errorText) : base(errorText) => ErrorCode = errorCode;

    public ConsoleApiException() : this(530, "the API refused the call") { }

    public ConsoleApiException(string message) : this(530, message) { }

    public ConsoleApiException(string message, Exception innerException) : base(message, innerException) => ErrorCode = 530;

    public int ErrorCode { get; }

    /// <summary>431 (a parameter), 432 (not allowed), 531 (no permission), 401: the user cannot do this, as opposed to a failure.</summary>
    public bool IsRefusal => ErrorCode is 401 or 431 or 432 or 531;
}
