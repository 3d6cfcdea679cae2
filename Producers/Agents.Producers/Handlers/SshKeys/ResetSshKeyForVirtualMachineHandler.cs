using System.Text.Json.Nodes;
using Agents.Contracts.Commands;
using Agents.Contracts.Events;
using Agents.Producers.Api;
using Agents.Producers.Handlers.VirtualMachines;
using Agents.Producers.Jobs;
using Agents.Producers.SshKeys;
using Microsoft.Extensions.Options;

namespace Agents.Producers.Handlers.SshKeys;

/// <summary>resetSSHKeyForVirtualMachine: the named key pairs of the VM's account become the user's managed keys.</summary>
public sealed class ResetSshKeyForVirtualMachineHandler(VmAccess vms, ISshKeyPairStore store, JobLauncher jobs, IOptions<ProducersOptions> options) : IApiHandler
{
    private static readonly ApiParameter Id = new("id", ApiParameterType.Uuid, "The ID of the virtual machine") { Required = true, Entity = VirtualMachineResponse.ObjectName };
    private static readonly ApiParameter KeyPair = new("keypair", ApiParameterType.String, "name of the ssh key pair used to login to the virtual machine") { Entity = SshKeyPairResponse.ObjectName };
    private static readonly ApiParameter KeyPairs = new("keypairs", ApiParameterType.List, "names of the ssh key pairs to be used to login to the virtual machine") { Since = "4.17", Entity = SshKeyPairResponse.ObjectName };
    private static readonly ApiParameter Username = ResetPasswordForVirtualMachineHandler.Username;

    public ApiDefinition Definition { get; } = new("resetSSHKeyForVirtualMachine", "Resets the SSH Key for virtual machine. The virtual machine must be in a \"Stopped\" state. [async]")
    {
        IsAsync = true,
        Parameters = [Id, KeyPair, KeyPairs, Username],
        ResponseObject = VirtualMachineResponse.ObjectName,
        Response = [.. VirtualMachineResponse.Fields, ApiResponseField.String("keypairs", "ssh key-pairs"), ApiResponseField.String("username", "the user whose keys were set")],
    };

    public async Task<JsonObject> HandleAsync(ApiCall call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        var vm = await vms.RequireAsync(call, call.RequiredId(Id), ct).ConfigureAwait(false);
        var names = call.IdList(KeyPairs).Concat(call.OptionalId(KeyPair) is { } one ? [one] : Array.Empty<string>()).Distinct().ToList();
        if (names.Count == 0) throw ApiException.Missing(call.Command, KeyPair.Name);
        var keys = new List<string>();
        foreach (var name in names)
        {
            var pair = (await store.ListAsync(vm.Account, name, ct).ConfigureAwait(false)).FirstOrDefault()
                ?? throw ApiException.NotFound($"key pair {name} of account {vm.Account}");
            keys.Add(pair.PublicKey);
        }
        var payload = new ResetVmSshKey { Username = call.Username(Username, options.Value.Provisioning.DefaultUsername), PublicKeys = keys };
        var job = await jobs.LaunchAsync(call, ResourceTypes.VirtualMachine, vm.Id,
            [new TargetSpec(vm.RouterId, vm.Id, CommandTypes.ResetVmSshKey, payload)],
            details: new JsonObject { ["keypairs"] = string.Join(',', names), ["username"] = payload.Username }, ct: ct).ConfigureAwait(false);
        return ApiFormat.Async(job.Id, vm.Id);
    }
}
