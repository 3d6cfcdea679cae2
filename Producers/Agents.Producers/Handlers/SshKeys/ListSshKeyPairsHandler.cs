using System.Text.Json.Nodes;
using Agents.Producers.Api;
using Agents.Producers.SshKeys;

namespace Agents.Producers.Handlers.SshKeys;

/// <summary>listSSHKeyPairs: a user's own key pairs; an admin's all (or one account's).</summary>
public sealed class ListSshKeyPairsHandler(ISshKeyPairStore store) : IApiHandler
{
    private static readonly ApiParameter Name = new("name", ApiParameterType.String, "A key pair name to look for");
    private static readonly ApiParameter Account = new("account", ApiParameterType.String, "list resources by account");

    public ApiDefinition Definition { get; } = new("listSSHKeyPairs", "List registered keypairs")
    {
        Parameters = [Name, Account, .. ListParameters.AccountResources],
        ResponseObject = SshKeyPairResponse.ObjectName,
        Response = SshKeyPairResponse.Fields,
    };

    public async Task<JsonObject> HandleAsync(ApiCall call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        _ = call.OptionalBool(ListParameters.ListAll);
        var page = call.Page();
        var pairs = (await store.ListAsync(call.ListedAccount(Account), call.Optional(Name), ct).ConfigureAwait(false))
            .Where(p => page.Matches(p.Name, p.Fingerprint, p.Account)).ToList();
        return ApiFormat.Page(SshKeyPairResponse.ListObjectName, pairs, page, SshKeyPairResponse.Render);
    }
}
