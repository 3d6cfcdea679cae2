using System.Text.Json.Nodes;
using Agents.Contracts.Commands;
using Agents.Contracts.Events;
using Agents.Producers.Api;
using Agents.Producers.Jobs;
using Agents.Producers.SshKeys;
using Microsoft.Extensions.Options;
using Newtonsoft.Json.Linq;

namespace Agents.Producers.Commands;

public sealed class RegisterSshKeyPair(ISshKeyPairStore store, TimeProvider time) : IApiCommand
{
    public string Name => "registerSSHKeyPair";

    public async Task<JObject> ExecuteAsync(ApiCall call, CancellationToken ct)
    {
        var name = call.RequiredId("name");
        var publicKey = call.Required("publickey").Trim();
        string fingerprint;
        try { fingerprint = SshKeyPair.FingerprintOf(publicKey); }
        catch (FormatException e) { throw ApiException.Parameter($"publickey: {e.Message}"); }
        var pair = new SshKeyPair(call.TargetAccount(), name, publicKey, fingerprint, time.GetUtcNow());
        if (!await store.AddAsync(pair, ct).ConfigureAwait(false))
            throw ApiException.Parameter($"A key pair with name '{name}' already exists for account {pair.Account}");
        return new JObject { ["keypair"] = Render(pair) };
    }

    public static JObject Render(SshKeyPair pair)
    {
        ArgumentNullException.ThrowIfNull(pair);
        return new JObject { ["name"] = pair.Name, ["fingerprint"] = pair.Fingerprint, ["account"] = pair.Account, ["publickey"] = pair.PublicKey };
    }
}

public sealed class ListSshKeyPairs(ISshKeyPairStore store) : IApiCommand
{
    public string Name => "listSSHKeyPairs";

    public async Task<JObject> ExecuteAsync(ApiCall call, CancellationToken ct)
    {
        var account = call.Caller.IsAdmin ? call.Optional("account") : call.Caller.Account;
        var pairs = await store.ListAsync(account, call.Optional("name"), ct).ConfigureAwait(false);
        return ApiFormat.List("sshkeypair", pairs.Select(RegisterSshKeyPair.Render));
    }
}

public sealed class DeleteSshKeyPair(ISshKeyPairStore store) : IApiCommand
{
    public string Name => "deleteSSHKeyPair";

    public async Task<JObject> ExecuteAsync(ApiCall call, CancellationToken ct)
    {
        var name = call.RequiredId("name");
        var account = call.TargetAccount();
        if (!await store.DeleteAsync(account, name, ct).ConfigureAwait(false))
            throw ApiException.NotFound($"key pair {name} of account {account}");
        return ApiFormat.Success();
    }
}

/// <summary>resetSSHKeyForVirtualMachine: the named key pairs of the VM's account become the user's managed keys.</summary>
public sealed class ResetSshKeyForVirtualMachine(VmAccess vms, ISshKeyPairStore store, JobLauncher jobs, IOptions<ProducersOptions> options) : IApiCommand
{
    public string Name => "resetSSHKeyForVirtualMachine";

    public async Task<JObject> ExecuteAsync(ApiCall call, CancellationToken ct)
    {
        var vm = await vms.RequireAsync(call, call.RequiredId("id"), ct).ConfigureAwait(false);
        var names = call.IdList("keypairs").Concat(call.OptionalId("keypair") is { } one ? [one] : Array.Empty<string>()).Distinct().ToList();
        if (names.Count == 0) throw ApiException.Missing("keypair");
        var keys = new List<string>();
        foreach (var name in names)
        {
            var pair = (await store.ListAsync(vm.Account, name, ct).ConfigureAwait(false)).FirstOrDefault()
                ?? throw ApiException.NotFound($"key pair {name} of account {vm.Account}");
            keys.Add(pair.PublicKey);
        }
        var payload = new ResetVmSshKey { Username = call.Username(options.Value.Provisioning.DefaultUsername), PublicKeys = keys };
        var job = await jobs.LaunchAsync(call, ResourceTypes.VirtualMachine, vm.Id,
            [new TargetSpec(vm.RouterId, vm.Id, CommandTypes.ResetVmSshKey, payload)],
            details: new JsonObject { ["keypairs"] = string.Join(',', names), ["username"] = payload.Username }, ct: ct).ConfigureAwait(false);
        return ApiFormat.Async(job.Id, vm.Id);
    }
}
