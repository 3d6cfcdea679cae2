using System.Text.Json.Nodes;
using Agents.Producers.Accounts;
using Agents.Producers.Api;

namespace Agents.Producers.Handlers.Accounts;

/// <summary>listUsers: an admin sees every user; a user the users of its own account.</summary>
public sealed class ListUsersHandler(IAccountStore accounts) : IApiHandler
{
    private static readonly ApiParameter Id = new("id", ApiParameterType.Uuid, "List user by ID.") { Entity = AccountResponse.UserObject };
    private static readonly ApiParameter Username = new("username", ApiParameterType.String, "List user by the username");
    private static readonly ApiParameter Account = new("account", ApiParameterType.String, "list resources by account");
    private static readonly ApiParameter State = new("state", ApiParameterType.String, "List users by state of the user account.");

    public ApiDefinition Definition { get; } = new("listUsers", "Lists user accounts")
    {
        Parameters = [Id, Username, Account, State, .. ListParameters.AccountResources],
        ResponseObject = AccountResponse.UserObject,
        Response = AccountResponse.UserFields,
    };

    public async Task<JsonObject> HandleAsync(ApiCall call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        _ = call.OptionalBool(ListParameters.ListAll);
        var page = call.Page();
        var (id, username, state, account) = (call.OptionalId(Id), call.Optional(Username), call.Optional(State), call.ListedAccount(Account));
        var users = (await accounts.ListUsersAsync(ct).ConfigureAwait(false))
            .Where(u => (id is null || u.Id == id) && (username is null || u.Username == username) && (account is null || u.Account == account)
                && (state is null || u.State.Equals(state, StringComparison.OrdinalIgnoreCase)) && page.Matches(u.Username, u.FirstName, u.LastName, u.Email, u.Account))
            .ToList();
        return ApiFormat.Page(AccountResponse.UserObject, users, page, AccountResponse.User);
    }
}
