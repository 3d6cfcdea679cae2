using Agents.Producers.Api;
using Agents.Producers.Inventory;

namespace Agents.Producers.Handlers.VirtualMachines;

/// <summary>
/// Finds a VM for a caller: a user reaches only its own account's VMs (531), an unknown id is 431.
/// A system VM (SSVM, CPVM) is found only where <c>systemVms</c> allows it (its agent's certificate
/// and enrollment); the user-VM commands (password, SSH key, recipes) refuse it with 431.
/// </summary>
public sealed class VmAccess(IVmInventory inventory)
{
    public async Task<VirtualMachine> RequireAsync(ApiCall call, string id, CancellationToken ct, bool systemVms = false)
    {
        ArgumentNullException.ThrowIfNull(call);
        var vm = await inventory.FindAsync(id, ct).ConfigureAwait(false) ?? throw ApiException.NotFound($"virtual machine {id}");
        if (vm.IsSystemVm && !systemVms)
            throw ApiException.Parameter($"{id} is a system VM ({vm.SystemVmType}): {call.Command} is for user VMs; patchSystemVm, getSystemVmHealthCheckResults and provisionCertificate reach system VMs");
        if (!call.Caller.Owns(vm.Account))
            throw ApiException.Denied($"Account {call.Caller.Account} does not have permission to operate on virtual machine {id}");
        return vm;
    }
}
