using Agents.Producers.Accounts;
using Agents.Producers.Api;
using Newtonsoft.Json.Linq;

namespace Agents.Producers.Commands;

/// <summary>registerUserKeys (admin): creates the account if needed and a fresh key pair, shown once.</summary>
public sealed class RegisterUserKeys(IAccountStore accounts) : IApiCommand
{
    public string Name => "registerUserKeys";
    public bool AdminOnly => true;

    public async Task<JObject> ExecuteAsync(ApiCall call, CancellationToken ct)
    {
        var account = call.RequiredId("account");
        var role = call.Optional("roletype")?.ToLowerInvariant() switch
        {
            null or "user" => Role.User,
            "admin" => Role.Admin,
            var other => throw ApiException.Parameter($"roletype '{other}' is not User or Admin"),
        };
        var keys = await accounts.CreateKeysAsync(account, role, ct).ConfigureAwait(false);
        return new JObject
        {
            ["userkeys"] = new JObject { ["account"] = account, ["roletype"] = role.ToString(), ["apikey"] = keys.ApiKey, ["secretkey"] = keys.SecretKey },
        };
    }
}

public sealed class ListAccounts(IAccountStore accounts) : IApiCommand
{
    public string Name => "listAccounts";
    public bool AdminOnly => true;

    public async Task<JObject> ExecuteAsync(ApiCall call, CancellationToken ct) =>
        ApiFormat.List("account", (await accounts.ListAccountsAsync(ct).ConfigureAwait(false))
            .Select(a => new JObject { ["name"] = a.Name, ["roletype"] = a.Role.ToString() }));
}
