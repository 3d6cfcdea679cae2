using System.Text.Json.Nodes;
using Agents.Producers.Accounts;
using Agents.Producers.Api;

namespace Agents.Producers.Handlers.Accounts;

/// <summary>createAccount (admin): an account and its first user, who can sign in with login.</summary>
public sealed class CreateAccountHandler(IAccountStore accounts) : IApiHandler
{
    private static readonly ApiParameter Account = new("account", ApiParameterType.String, "Name of the account to be created. The user will be added to this newly created account. If no account is specified, the username will be used as the account name.");
    private static readonly ApiParameter AccountType = new("accounttype", ApiParameterType.Integer, "Type of the account.  Specify 0 for user, 1 for root admin");

    public ApiDefinition Definition { get; } = new("createAccount", "Creates an account")
    {
        Access = ApiAccess.Admin,
        Parameters = [UserFields.Username.AsRequired(), UserFields.Password.AsRequired(), UserFields.FirstName.AsRequired(), UserFields.LastName.AsRequired(),
            UserFields.Email.AsRequired(), Account, AccountType],
        ResponseObject = AccountResponse.AccountObject,
        Response = AccountResponse.AccountFields,
    };

    public async Task<JsonObject> HandleAsync(ApiCall call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        var user = UserFields.From(call);
        var name = call.Optional(Account) is { } a ? call.OptionalId(Account)! : call.Required(UserFields.Username);
        if (!name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')) throw ApiException.Parameter("account may hold letters, digits, '-', '_'");
        var role = call.OptionalInt(AccountType, 0, 1) == 1 ? Role.Admin : Role.User;
        bool created;
        try { created = await accounts.CreateAccountAsync(name, role, user, ct).ConfigureAwait(false); }
        catch (InvalidOperationException) { throw ApiException.Parameter($"The user {user.Username} already exists in domain {RootDomain.Name}"); }
        if (!created) throw ApiException.Parameter($"The specified account: {name} already exists");
        var account = (await accounts.ListAccountsAsync(ct).ConfigureAwait(false)).First(x => x.Name == name);
        var users = (await accounts.ListUsersAsync(ct).ConfigureAwait(false)).Where(u => u.Account == name);
        return new JsonObject { [AccountResponse.AccountObject] = AccountResponse.Account(account, users) };
    }
}
