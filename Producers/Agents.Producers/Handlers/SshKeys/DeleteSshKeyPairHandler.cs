using System.Text.Json.Nodes;
using Agents.Producers.Api;
using Agents.Producers.SshKeys;

namespace Agents.Producers.Handlers.SshKeys;

public sealed class DeleteSshKeyPairHandler(ISshKeyPairStore store) : IApiHandler
{
    private static readonly ApiParameter Name = new("name", ApiParameterType.String, "Name of the keypair") { Required = true };
    private static readonly ApiParameter Account = new("account", ApiParameterType.String, "the account associated with the keypair (admin)");

    public ApiDefinition Definition { get; } = new("deleteSSHKeyPair", "Deletes a keypair by name")
    {
        Parameters = [Name, Account],
        Response = [ApiResponseField.Boolean("success", "true if operation is executed successfully"), ApiResponseField.String("displaytext", "any text associated with the success or failure")],
    };

    public async Task<JsonObject> HandleAsync(ApiCall call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        var name = call.RequiredId(Name);
        var account = call.TargetAccount(Account);
        if (!await store.DeleteAsync(account, name, ct).ConfigureAwait(false))
            throw ApiException.NotFound($"key pair {name} of account {account}");
        return ApiFormat.Success();
    }
}
