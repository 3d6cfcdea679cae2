using System.Text.Json.Nodes;
using Agents.Producers.Api;
using Agents.Producers.Inventory;

namespace Agents.Producers.Handlers.VirtualMachines;

/// <summary>registerVirtualMachine: adds a VM to this system's inventory (its router and owner account).</summary>
public sealed class RegisterVirtualMachineHandler(IVmInventory inventory, TimeProvider time) : IApiHandler
{
    private static readonly ApiParameter Id = new("id", ApiParameterType.Uuid, "the ID of the virtual machine (CloudStack's uuid)") { Required = true };
    private static readonly ApiParameter RouterId = new("routerid", ApiParameterType.Uuid, "the ID of the virtual router that serves the VM's agent") { Required = true };
    private static readonly ApiParameter Account = new("account", ApiParameterType.String, "the account owning the VM (admin only; a user registers for itself)");
    private static readonly ApiParameter Name = new("name", ApiParameterType.String, "the VM's name");

    public ApiDefinition Definition { get; } = new("registerVirtualMachine", "Registers a virtual machine with the agents framework: its router and owner account")
    {
        Since = "agents-1.0",
        Parameters = [Id, RouterId, Account, Name],
        ResponseObject = VirtualMachineResponse.ObjectName,
        Response = VirtualMachineResponse.Fields,
    };

    public async Task<JsonObject> HandleAsync(ApiCall call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        var vm = new VirtualMachine(call.RequiredId(Id), call.RequiredId(RouterId), call.TargetAccount(Account), call.Optional(Name), time.GetUtcNow());
        if (!await inventory.RegisterAsync(vm, ct).ConfigureAwait(false))
            throw ApiException.InUse($"virtual machine {vm.Id} is registered to another account");
        var stored = await inventory.FindAsync(vm.Id, ct).ConfigureAwait(false) ?? vm;
        return new JsonObject { [VirtualMachineResponse.ObjectName] = VirtualMachineResponse.Render(stored) };
    }
}
