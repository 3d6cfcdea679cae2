using System.Text.Json.Nodes;
using Agents.Producers.Accounts;
using Agents.Producers.Api;

namespace Agents.Producers.Handlers.Accounts;

/// <summary>listAccounts: an admin sees every account; a user its own.</summary>
public sealed class ListAccountsHandler(IAccountStore accounts) : IApiHandler
{
    private static readonly ApiParameter Id = new("id", ApiParameterType.Uuid, "list account by account ID") { Entity = AccountResponse.AccountObject };
    private static readonly ApiParameter Name = new("name", ApiParameterType.String, "list account by account name");
    private static readonly ApiParameter AccountType = new("accounttype", ApiParameterType.Integer, "list accounts by account type. Valid account types are 1 (admin) and 0 (user).");

    public ApiDefinition Definition { get; } = new("listAccounts", "Lists accounts and provides detailed account information for listed accounts")
    {
        Parameters = [Id, Name, AccountType, .. ListParameters.AccountResources],
        ResponseObject = AccountResponse.AccountObject,
        Response = AccountResponse.AccountFields,
    };

    public async Task<JsonObject> HandleAsync(ApiCall call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        _ = call.OptionalBool(ListParameters.ListAll);
        var page = call.Page();
        var (id, name, type) = (call.OptionalId(Id), call.Optional(Name), call.OptionalInt(AccountType, 0, 5));
        var users = await accounts.ListUsersAsync(ct).ConfigureAwait(false);
        var rows = (await accounts.ListAccountsAsync(ct).ConfigureAwait(false))
            .Where(a => (call.Caller.IsAdmin || a.Name == call.Caller.Account) && (id is null || a.Id == id) && (name is null || a.Name == name)
                && (type is null || a.AccountType == type) && page.Matches(a.Name))
            .ToList();
        return ApiFormat.Page(AccountResponse.AccountObject, rows, page, a => AccountResponse.Account(a, users.Where(u => u.Account == a.Name)));
    }
}
