using System.Text.Json.Nodes;
using Agents.Producers.Accounts;
using Agents.Producers.Api;

namespace Agents.Producers.Handlers.Accounts;

/// <summary>getUserKeys: a user's current pair, to the user itself or an admin.</summary>
public sealed class GetUserKeysHandler(IAccountStore accounts) : IApiHandler
{
    private static readonly ApiParameter Id = new("id", ApiParameterType.Uuid, "ID of the user whose keys are required") { Required = true, Entity = AccountResponse.UserObject };

    public ApiDefinition Definition { get; } = new("getUserKeys", "This command allows the user to query the seceret and API keys for the account")
    {
        Since = "4.10.0",
        Parameters = [Id],
        ResponseObject = UserKeysResponse.ObjectName,
        Response = UserKeysResponse.Fields,
    };

    public async Task<JsonObject> HandleAsync(ApiCall call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        var id = call.RequiredId(Id);
        var user = await accounts.FindUserAsync(id, ct).ConfigureAwait(false) ?? throw ApiException.NotFound($"user {id}");
        if (!call.Caller.IsAdmin && user.Id != call.Caller.UserId) throw ApiException.Denied($"Account {call.Caller.Account} cannot see the keys of user {id}");
        var keys = await accounts.GetKeysAsync(id, ct).ConfigureAwait(false);
        var o = new JsonObject { ["account"] = user.Account, ["roletype"] = user.Role.ToString() };
        if (keys is not null) (o["apikey"], o["secretkey"]) = (keys.ApiKey, keys.SecretKey);
        return new JsonObject { [UserKeysResponse.ObjectName] = o };
    }
}
