using System.Text.Json.Nodes;
using Agents.Producers.Api;
using Agents.Producers.Inventory;

namespace Agents.Producers.Handlers.VirtualMachines;

/// <summary>listVirtualMachines: a user sees its own VMs; an admin every VM, or one account's.</summary>
public sealed class ListVirtualMachinesHandler(IVmInventory inventory) : IApiHandler
{
    private static readonly ApiParameter Id = new("id", ApiParameterType.Uuid, "the ID of the virtual machine") { Entity = VirtualMachineResponse.ObjectName };
    private static readonly ApiParameter Account = new("account", ApiParameterType.String, "list resources by account");
    private static readonly ApiParameter RouterId = new("routerid", ApiParameterType.Uuid, "the ID of the virtual router serving the VMs");
    private static readonly ApiParameter Name = new("name", ApiParameterType.String, "name of the virtual machine (a match, case-insensitive)");

    public ApiDefinition Definition { get; } = new("listVirtualMachines", "List the virtual machines owned by the account.")
    {
        Parameters = [Id, Account, RouterId, Name, .. ListParameters.AccountResources],
        ResponseObject = VirtualMachineResponse.ObjectName,
        Response = VirtualMachineResponse.Fields,
    };

    public async Task<JsonObject> HandleAsync(ApiCall call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        _ = call.OptionalBool(ListParameters.ListAll);
        var page = call.Page();
        var name = call.Optional(Name);
        var vms = (await inventory.ListAsync(call.ListedAccount(Account), call.OptionalId(RouterId), call.OptionalId(Id), ct).ConfigureAwait(false))
            .Where(vm => (name is null || string.Equals(vm.Name, name, StringComparison.OrdinalIgnoreCase)) && page.Matches(vm.Id, vm.Name, vm.Account))
            .ToList();
        return ApiFormat.Page(VirtualMachineResponse.ObjectName, vms, page, VirtualMachineResponse.Render);
    }
}
