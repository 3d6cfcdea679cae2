using Agents.Producers.Api;

namespace Agents.Producers.Handlers.Accounts;

/// <summary>CloudStack's RegisterResponse (registerUserKeys, getUserKeys): the pair, plus the account and role this system adds.</summary>
public static class UserKeysResponse
{
    public const string ObjectName = "userkeys";

    public static IReadOnlyList<ApiResponseField> Fields { get; } =
    [
        ApiResponseField.String("apikey", "the api key of the registered user"),
        ApiResponseField.String("secretkey", "the secret key of the registered user"),
        ApiResponseField.String("account", "the account the keys act for"),
        ApiResponseField.String("roletype", "Admin or User"),
    ];
}
