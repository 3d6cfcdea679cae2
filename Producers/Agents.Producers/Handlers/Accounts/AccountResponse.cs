using System.Text.Json.Nodes;
using Agents.Producers.Accounts;
using Agents.Producers.Api;

namespace Agents.Producers.Handlers.Accounts;

/// <summary>Accounts and users as CloudStack's AccountResponse and UserResponse name their fields (those this system keeps).</summary>
public static class AccountResponse
{
    public const string AccountObject = "account";
    public const string UserObject = "user";

    public static IReadOnlyList<ApiResponseField> UserFields { get; } =
    [
        ApiResponseField.String("id", "the user ID"), ApiResponseField.String("username", "the user name"),
        ApiResponseField.String("firstname", "the user firstname"), ApiResponseField.String("lastname", "the user lastname"),
        ApiResponseField.String("email", "the user email address"), ApiResponseField.Date("created", "the date and time the user account was created"),
        ApiResponseField.String("state", "the user state"), ApiResponseField.String("account", "the account name of the user"),
        ApiResponseField.String("accountid", "the account ID of the user"), ApiResponseField.Integer("accounttype", "the account type of the user"),
        ApiResponseField.String("roletype", "the type of the role"), ApiResponseField.String("domainid", "the domain ID of the user"),
        ApiResponseField.String("domain", "the domain name of the user"),
    ];

    public static IReadOnlyList<ApiResponseField> AccountFields { get; } =
    [
        ApiResponseField.String("id", "the id of the account"), ApiResponseField.String("name", "the name of the account"),
        ApiResponseField.Integer("accounttype", "account type (admin, domain-admin, user)"), ApiResponseField.String("roletype", "the type of the role (Admin, ResourceAdmin, DomainAdmin, User)"),
        ApiResponseField.String("rolename", "the name of the role"), ApiResponseField.String("domainid", "id of the Domain the account belongs to"),
        ApiResponseField.String("domain", "name of the Domain the account belongs to"), ApiResponseField.String("state", "the state of the account"),
        ApiResponseField.Date("created", "the date when this account was created"),
        ApiResponseField.List("user", "the list of users associated with account", [.. UserFields]),
    ];

    public static JsonObject User(UserInfo user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var o = new JsonObject { ["id"] = user.Id, ["username"] = user.Username }
            .With("firstname", user.FirstName).With("lastname", user.LastName).With("email", user.Email);
        o["created"] = ApiFormat.Date(user.Created);
        o["state"] = user.State;
        o["account"] = user.Account;
        o["accountid"] = user.AccountId;
        o["accounttype"] = user.Role == Role.Admin ? 1 : 0;
        o["roletype"] = user.Role.ToString();
        o["domainid"] = RootDomain.Id;
        o["domain"] = RootDomain.Name;
        return o;
    }

    public static JsonObject Account(AccountInfo account, IEnumerable<UserInfo> users)
    {
        ArgumentNullException.ThrowIfNull(account);
        return new JsonObject
        {
            ["id"] = account.Id,
            ["name"] = account.Name,
            ["accounttype"] = account.AccountType,
            ["roletype"] = account.Role.ToString(),
            ["rolename"] = account.Role == Role.Admin ? "Root Admin" : "User",
            ["domainid"] = RootDomain.Id,
            ["domain"] = RootDomain.Name,
            ["state"] = "enabled",
            ["created"] = ApiFormat.Date(account.Created),
            ["user"] = new JsonArray([.. users.Select(User)]),
        };
    }

}
