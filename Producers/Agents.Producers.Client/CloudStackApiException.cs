using System.Text.Json.Nodes;

namespace Agents.Producers.Client;

/// <summary>
/// The API answered with an error, in CloudStack's shape: <c>errorcode</c> (401, 431, 432, 530, 531 …)
/// and <c>errortext</c>, with the HTTP status it came with. A failed async job is reported the same
/// way, from its <c>jobresult</c>.
/// </summary>
public sealed class CloudStackApiException : Exception
{
    public CloudStackApiException() { }

    public CloudStackApiException(string message) : base(message) { }

    public CloudStackApiException(string message, Exception innerException) : base(message, innerException) { }

    public CloudStackApiException(string command, int httpStatus, int errorCode, string errorText, JsonObject? response = null, string? responseName = null)
        : base($"{command}: error {errorCode}: {errorText}")
    {
        Command = command;
        HttpStatus = httpStatus;
        ErrorCode = errorCode;
        ErrorText = errorText;
        Response = response;
        ResponseName = responseName ?? "";
    }

    public string Command { get; } = "";

    /// <summary>The HTTP status of the answer (CloudStack sends the error code as the status too).</summary>
    public int HttpStatus { get; }

    public int ErrorCode { get; }

    public string ErrorText { get; } = "";

    /// <summary>The inner <c>&lt;command&gt;response</c> object, when the answer had one.</summary>
    public JsonObject? Response { get; }

    /// <summary>The name the answer gave that object: <c>&lt;command&gt;response</c>, or <c>errorresponse</c> for a command the API does not know (as CloudStack answers).</summary>
    public string ResponseName { get; } = "";
}
