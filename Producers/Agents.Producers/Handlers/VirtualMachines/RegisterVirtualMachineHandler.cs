using System.Text.Json.Nodes;
using Agents.Producers.Api;
using Agents.Producers.Inventory;

namespace Agents.Producers.Handlers.VirtualMachines;

/// <summary>registerVirtualMachine: adds a VM to this system's inventory (its router and owner account), or a system VM (SSVM, CPVM) with systemvmtype.</summary>
public sealed class RegisterVirtualMachineHandler(IVmInventory inventory, TimeProvider time) : IApiHandler
{
    private static readonly ApiParameter Id = new("id", ApiParameterType.Uuid, "the ID of the virtual machine (CloudStack's uuid)") { Required = true };
    private static readonly ApiParameter RouterId = new("routerid", ApiParameterType.Uuid, "the ID of the virtual router that serves the VM's agent") { Required = true };
    private static readonly ApiParameter Account = new("account", ApiParameterType.String, "the account owning the VM (admin only; a user registers for itself)");
    private static readonly ApiParameter Name = new("name", ApiParameterType.String, "the VM's name");
    private static readonly ApiParameter SystemVmType = new("systemvmtype", ApiParameterType.String,
        "registers a system VM of this type (admin): secondarystoragevm or consoleproxy; it belongs to the system account, and routerid names the bridge its agent connects to");

    public ApiDefinition Definition { get; } = new("registerVirtualMachine", "Registers a virtual machine with the agents framework: its router and owner account")
    {
        Since = "agents-1.0",
        Parameters = [Id, RouterId, Account, Name, SystemVmType],
        ResponseObject = VirtualMachineResponse.ObjectName,
        Response = VirtualMachineResponse.Fields,
    };

    public async Task<JsonObject> HandleAsync(ApiCall call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        var vm = call.Optional(SystemVmType) is { } type ? SystemVm(call, type) : UserVm(call);
        if (!await inventory.RegisterAsync(vm, ct).ConfigureAwait(false))
            throw ApiException.InUse(vm.IsSystemVm
                ? $"virtual machine {vm.Id} is registered as a user VM or another type of system VM"
                : $"virtual machine {vm.Id} is registered to another account or as a system VM");
        var stored = await inventory.FindAsync(vm.Id, ct).ConfigureAwait(false) ?? vm;
        return new JsonObject { [VirtualMachineResponse.ObjectName] = VirtualMachineResponse.Render(stored) };
    }

    private VirtualMachine UserVm(ApiCall call)
    {
        var account = call.TargetAccount(Account);
        if (account == SystemVmTypes.SystemAccount) throw ApiException.Parameter($"the {SystemVmTypes.SystemAccount} account owns system VMs only: give systemvmtype");
        return new VirtualMachine(call.RequiredId(Id), call.RequiredId(RouterId), account, call.Optional(Name), time.GetUtcNow());
    }

    private VirtualMachine SystemVm(ApiCall call, string type)
    {
        if (!call.Caller.IsAdmin) throw ApiException.Denied("only an admin registers system VMs");
        if (call.Optional(Account) is not null) throw ApiException.Parameter("a system VM belongs to the system account: account is not for a system VM");
        var systemVmType = SystemVmTypes.Parse(type) ?? throw ApiException.Parameter($"systemvmtype must be one of {string.Join(", ", SystemVmTypes.All)}");
        return new VirtualMachine(call.RequiredId(Id), call.RequiredId(RouterId), SystemVmTypes.SystemAccount, call.Optional(Name), time.GetUtcNow(), systemVmType);
    }
}
