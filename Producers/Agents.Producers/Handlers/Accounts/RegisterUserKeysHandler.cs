using System.Text.Json.Nodes;
using Agents.Producers.Accounts;
using Agents.Producers.Api;

namespace Agents.Producers.Handlers.Accounts;

/// <summary>
/// registerUserKeys: CloudStack's form (<c>id</c> of a user: a new pair replaces the user's old
/// one; a user may renew its own), and this system's shortcut for automation (admin:
/// <c>account</c> and <c>roletype</c>: creates the account if needed and adds a pair).
/// </summary>
public sealed class RegisterUserKeysHandler(IAccountStore accounts) : IApiHandler
{
    private static readonly ApiParameter Id = new("id", ApiParameterType.Uuid, "User id") { Entity = AccountResponse.UserObject };
    private static readonly ApiParameter Account = new("account", ApiParameterType.String, "admin: the account to make keys for (created if needed), instead of id");
    private static readonly ApiParameter RoleType = new("roletype", ApiParameterType.String, "admin, with account: User (default) or Admin");

    public ApiDefinition Definition { get; } = new("registerUserKeys", "This command allows a user to register for the developer API, returning a secret key and an API key. This request is made through the integration API port, so it is a privileged command and must be made on behalf of a user. It is up to the implementer just how the username and password are entered, and then how that translates to an integration API request. Both secret key and API key should be returned to the user")
    {
        Parameters = [Id, Account, RoleType],
        ResponseObject = UserKeysResponse.ObjectName,
        Response = UserKeysResponse.Fields,
    };

    public async Task<JsonObject> HandleAsync(ApiCall call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (call.OptionalId(Id) is { } userId)
        {
            var user = await accounts.FindUserAsync(userId, ct).ConfigureAwait(false) ?? throw ApiException.NotFound($"user {userId}");
            if (!call.Caller.IsAdmin && user.Id != call.Caller.UserId) throw ApiException.Denied($"Account {call.Caller.Account} cannot register keys for user {userId}");
            var pair = await accounts.CreateKeysForUserAsync(user.Id, ct).ConfigureAwait(false);
            return Render(pair, user.Account, user.Role);
        }
        if (!call.Caller.IsAdmin) throw ApiException.Denied("only an admin makes keys by account name: give the id of your user");
        var account = call.OptionalId(Account) ?? throw ApiException.Missing(call.Command, Id.Name);
        var role = call.Optional(RoleType)?.ToLowerInvariant() switch
        {
            null or "user" => Role.User,
            "admin" => Role.Admin,
            var other => throw ApiException.Parameter($"roletype '{other}' is not User or Admin"),
        };
        return Render(await accounts.CreateKeysAsync(account, role, ct).ConfigureAwait(false), account, role);
    }

    private static JsonObject Render(ApiKeyPair keys, string account, Role role) => new()
    {
        [UserKeysResponse.ObjectName] = new JsonObject { ["apikey"] = keys.ApiKey, ["secretkey"] = keys.SecretKey, ["account"] = account, ["roletype"] = role.ToString() },
    };
}
