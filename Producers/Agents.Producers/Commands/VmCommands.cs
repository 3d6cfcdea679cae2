using Agents.Producers.Api;
using Agents.Producers.Inventory;
using Newtonsoft.Json.Linq;

namespace Agents.Producers.Commands;

/// <summary>registerVirtualMachine: adds a VM to this system's inventory (its router and owner account).</summary>
public sealed class RegisterVirtualMachine(IVmInventory inventory, TimeProvider time) : IApiCommand
{
    public string Name => "registerVirtualMachine";

    public async Task<JObject> ExecuteAsync(ApiCall call, CancellationToken ct)
    {
        var vm = new VirtualMachine(call.RequiredId("id"), call.RequiredId("routerid"), call.TargetAccount(), call.Optional("name"), time.GetUtcNow());
        if (!await inventory.RegisterAsync(vm, ct).ConfigureAwait(false))
            throw new ApiException(ApiErrorCode.ResourceInUse, $"virtual machine {vm.Id} is registered to another account");
        var stored = await inventory.FindAsync(vm.Id, ct).ConfigureAwait(false) ?? vm;
        return new JObject { ["virtualmachine"] = Render(stored) };
    }

    public static JObject Render(VirtualMachine vm)
    {
        ArgumentNullException.ThrowIfNull(vm);
        var o = new JObject { ["id"] = vm.Id, ["routerid"] = vm.RouterId, ["account"] = vm.Account, ["created"] = ApiFormat.Date(vm.Created) };
        if (vm.Name is not null) o["name"] = vm.Name;
        return o;
    }
}

/// <summary>listVirtualMachines: a user sees its own VMs; an admin all, or one account's.</summary>
public sealed class ListVirtualMachines(IVmInventory inventory) : IApiCommand
{
    public string Name => "listVirtualMachines";

    public async Task<JObject> ExecuteAsync(ApiCall call, CancellationToken ct)
    {
        var account = call.Caller.IsAdmin ? call.Optional("account") : call.Caller.Account;
        var vms = await inventory.ListAsync(account, call.OptionalId("routerid"), call.OptionalId("id"), ct).ConfigureAwait(false);
        return ApiFormat.List("virtualmachine", vms.Select(RegisterVirtualMachine.Render));
    }
}
