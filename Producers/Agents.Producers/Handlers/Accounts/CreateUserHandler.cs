using System.Text.Json.Nodes;
using Agents.Producers.Accounts;
using Agents.Producers.Api;

namespace Agents.Producers.Handlers.Accounts;

/// <summary>createUser (admin): another user of an existing account.</summary>
public sealed class CreateUserHandler(IAccountStore accounts) : IApiHandler
{
    private static readonly ApiParameter Account = new("account", ApiParameterType.String, "Creates the user under the specified account. If no account is specified, the username will be used as the account name.") { Required = true };

    public ApiDefinition Definition { get; } = new("createUser", "Creates a user for an account that already exists")
    {
        Access = ApiAccess.Admin,
        Parameters = [UserFields.Username.AsRequired(), UserFields.Password.AsRequired(), UserFields.FirstName.AsRequired(), UserFields.LastName.AsRequired(),
            UserFields.Email.AsRequired(), Account],
        ResponseObject = AccountResponse.UserObject,
        Response = AccountResponse.UserFields,
    };

    public async Task<JsonObject> HandleAsync(ApiCall call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        var user = UserFields.From(call);
        var account = call.RequiredId(Account);
        UserInfo? created;
        try { created = await accounts.CreateUserAsync(account, user, ct).ConfigureAwait(false); }
        catch (InvalidOperationException) { throw ApiException.Parameter($"The user {user.Username} already exists in domain {RootDomain.Name}"); }
        return created is null
            ? throw ApiException.NotFound($"account {account}")
            : new JsonObject { [AccountResponse.UserObject] = AccountResponse.User(created) };
    }
}
