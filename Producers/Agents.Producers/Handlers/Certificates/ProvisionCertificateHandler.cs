using System.Text.Json.Nodes;
using Agents.Contracts.Commands;
using Agents.Contracts.Events;
using Agents.Producers.Api;
using Agents.Producers.Handlers.VirtualMachines;
using Agents.Producers.Jobs;

namespace Agents.Producers.Handlers.Certificates;

/// <summary>provisionCertificate (admin): the agent of a VM or of a system VM (SSVM, CPVM) makes a new key and renews through its bridge (async job, RekeyCertificate).</summary>
public sealed class ProvisionCertificateHandler(VmAccess vms, JobLauncher jobs) : IApiHandler
{
    private static readonly ApiParameter VirtualMachineId = new("virtualmachineid", ApiParameterType.Uuid, "the VM or system VM (SSVM, CPVM) whose agent gets a new key and certificate") { Required = true, Entity = VirtualMachineResponse.ObjectName };
    private static readonly ApiParameter Reconnect = new("reconnect", ApiParameterType.Boolean, "Whether to attempt reconnection with the agent after provisioning (true when absent)");

    public ApiDefinition Definition { get; } = new("provisionCertificate", "Issues and propagates client certificate on a connected host/agent using configured CA plugin [async]")
    {
        Since = "4.11.0",
        IsAsync = true,
        Access = ApiAccess.Admin,
        Parameters = [VirtualMachineId, Reconnect],
        Response = [ApiResponseField.Boolean("success", "true if operation is executed successfully")],
    };

    public async Task<JsonObject> HandleAsync(ApiCall call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        var vm = await vms.RequireAsync(call, call.RequiredId(VirtualMachineId), ct, systemVms: true).ConfigureAwait(false);
        var job = await jobs.LaunchAsync(call, vm.IsSystemVm ? ResourceTypes.SystemVm : ResourceTypes.VirtualMachine, vm.Id,
            [new TargetSpec(vm.RouterId, vm.Id, CommandTypes.RekeyCertificate, new RekeyCertificate { Reconnect = call.OptionalBool(Reconnect, true) })],
            ct: ct).ConfigureAwait(false);
        return ApiFormat.Async(job.Id, vm.Id);
    }
}
