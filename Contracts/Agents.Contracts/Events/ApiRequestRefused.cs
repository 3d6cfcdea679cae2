namespace Agents.Contracts.Events;

/// <summary>
/// An ActionEvent for an API call the API refused (bad or expired signature, unknown command,
/// bad parameter, another account's resource): the audit log keeps who tried what and why it
/// was refused. Never a parameter value or a key: only the command name, the account when the
/// signature was good, the caller's address and CloudStack's errorcode/errortext.
/// </summary>
public sealed record ApiRequestRefused
{
    public required Guid MessageId { get; init; }
    /// <summary>The command asked for, as given (cut to 64 characters).</summary>
    public required string Command { get; init; }
    /// <summary>The account whose key signed the call; null when the signature was not verified.</summary>
    public string? Account { get; init; }
    public string? RemoteAddress { get; init; }
    public required int ErrorCode { get; init; }
    public required string ErrorText { get; init; }
    public required DateTimeOffset At { get; init; }

    public CloudStackEvent ToEvent()
    {
        var account = Account ?? "unauthenticated";
        return new()
        {
            Source = CloudStackEvent.DefaultSource,
            Category = EventCategory.ActionEvent,
            Type = EventTypes.ApiRequestRefused,
            ResourceType = ResourceTypes.Account,
            ResourceUuid = account,
            Description = new EventBody()
                .Set("status", "Completed")
                .Set("level", "WARN")
                .Set("event", EventTypes.ApiRequestRefused)
                .Set("entity", ResourceTypes.Account)
                .Set("entityuuid", account)
                .Set("account", Account)
                .Set("description", $"API {Command} by {account} from {RemoteAddress ?? "?"} refused: {ErrorCode} {ErrorText}")
                .Set("eventDateTime", CloudStackEvent.FormatDateTime(At))
                .Set("schemaVersion", 1)
                .Set("messageId", MessageId.ToString())
                .Set("command", Command)
                .Set("remoteAddress", RemoteAddress)
                .Set("errorCode", ErrorCode)
                .Set("errorText", ErrorText)
                .Build(),
        };
    }
}
