using System.Text.Json.Nodes;
using Agents.Producers.Api;
using Agents.Producers.FirstBoot;
using Agents.Producers.Inventory;

namespace Agents.Producers.Handlers.VirtualMachines;

/// <summary>listVMFirstBootRecipes: the first-boot recipes of one VM or of every VM the caller sees.</summary>
public sealed class ListVmFirstBootRecipesHandler(VmAccess vms, IVmInventory inventory, IFirstBootStore store) : IApiHandler
{
    private static readonly ApiParameter VirtualMachineId = new("virtualmachineid", ApiParameterType.Uuid, "the VM") { Entity = VirtualMachineResponse.ObjectName };

    public ApiDefinition Definition { get; } = new("listVMFirstBootRecipes", "Lists the recipes VMs' agents run once, when they first come up")
    {
        Since = "agents-1.0",
        Parameters = [VirtualMachineId, .. ListParameters.Paging],
        ResponseObject = FirstBootResponse.ObjectName,
        Response = FirstBootResponse.Fields,
    };

    public async Task<JsonObject> HandleAsync(ApiCall call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        var page = call.Page();
        IReadOnlyCollection<string>? visible = null;
        if (call.OptionalId(VirtualMachineId) is { } id) visible = [(await vms.RequireAsync(call, id, ct).ConfigureAwait(false)).Id];
        else if (!call.Caller.IsAdmin) visible = (await inventory.ListAsync(call.Caller.Account, null, null, ct).ConfigureAwait(false)).Select(v => v.Id).ToHashSet(StringComparer.Ordinal);
        var rows = (await store.ListAsync(visible, ct).ConfigureAwait(false)).Where(c => page.Matches(c.VmId, string.Join(',', c.Recipes), c.State)).ToList();
        return ApiFormat.Page(FirstBootResponse.ObjectName, rows, page, FirstBootResponse.Render);
    }
}
