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
            Category = EventCategory.ActionEvent,
            Type = EventTypes.ApiRequestRefused,
            ResourceType = ResourceTypes.Account,
            ResourceUuid = account,
            Description = new EventBody()
                .Set("status", ActionEventStatus.Completed)
                .Set("level", "WARN")
                .Set("event", EventTypes.ApiRequestRefused)
                .Set("entity", ResourceTypes.Account)
                .Set("entityuuid", account)
                .Set("account", Account)
                .Set("description", $"API {Command} by {account} from {RemoteAddress ?? "?"} refused: {ErrorCode} {ErrorText}")
                .Set("eventDateTime", CloudStackEvent.FormatDateTime(At))
                .Set("schemaVersion", 1)
                .Set("messageId", MessageId)
                .Set("command", Command)
                .Set("remoteAddress", RemoteAddress)
                .Set("errorCode", ErrorCode)
                .Set("errorText", ErrorText)
                .Build(),
        };
    }

    /// <summary>Reads an API.REQUEST.REFUSE event; null for any other event.</summary>
    /// <exception cref="InvalidEventException">Such an event without messageId, command or errorCode.</exception>
    public static ApiRequestRefused? FromEvent(CloudStackEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.Category != EventCategory.ActionEvent || e.Type != EventTypes.ApiRequestRefused) return null;
        return new ApiRequestRefused
        {
            MessageId = e.RequiredGuid("messageId"),
            Command = e.Required("command"),
            Account = e["account"],
            RemoteAddress = e["remoteAddress"],
            ErrorCode = (int)(e.OptionalLong("errorCode") ?? throw new InvalidEventException("API.REQUEST.REFUSE lacks the field 'errorCode'")),
            ErrorText = e["errorText"] ?? "",
            At = e.EventDateTime ?? DateTimeOffset.UtcNow,
        };
    }
}
