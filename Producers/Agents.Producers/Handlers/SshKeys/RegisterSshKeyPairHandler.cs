using System.Text.Json.Nodes;
using Agents.Producers.Api;
using Agents.Producers.SshKeys;

namespace Agents.Producers.Handlers.SshKeys;

/// <summary>registerSSHKeyPair: an account's public key, by name.</summary>
public sealed class RegisterSshKeyPairHandler(ISshKeyPairStore store, TimeProvider time) : IApiHandler
{
    private static readonly ApiParameter Name = new("name", ApiParameterType.String, "Name of the keypair") { Required = true };
    private static readonly ApiParameter PublicKey = new("publickey", ApiParameterType.String, "Public key material of the keypair") { Required = true, Length = 5120 };
    private static readonly ApiParameter Account = new("account", ApiParameterType.String, "an optional account for the ssh key (admin)");

    public ApiDefinition Definition { get; } = new("registerSSHKeyPair", "Register a public key in a keypair under a certain name")
    {
        Parameters = [Name, PublicKey, Account],
        ResponseObject = SshKeyPairResponse.ObjectName,
        Response = SshKeyPairResponse.Fields,
    };

    public async Task<JsonObject> HandleAsync(ApiCall call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        var name = call.RequiredId(Name);
        var publicKey = call.Required(PublicKey).Trim();
        string fingerprint;
        try { fingerprint = SshKeyPair.FingerprintOf(publicKey); }
        catch (FormatException e) { throw ApiException.Parameter($"publickey: {e.Message}"); }
        var pair = new SshKeyPair(call.TargetAccount(Account), name, publicKey, fingerprint, time.GetUtcNow());
        if (!await store.AddAsync(pair, ct).ConfigureAwait(false))
            throw ApiException.Parameter($"A key pair with name '{name}' already exists for account {pair.Account}");
        return new JsonObject { [SshKeyPairResponse.ObjectName] = SshKeyPairResponse.Render(pair) };
    }
}
