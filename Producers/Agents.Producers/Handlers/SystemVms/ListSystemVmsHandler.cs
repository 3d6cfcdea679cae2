using System.Text.Json.Nodes;
using Agents.Producers.Api;
using Agents.Producers.Inventory;
using Agents.Producers.Presence;

namespace Agents.Producers.Handlers.SystemVms;

/// <summary>listSystemVms (admin): the registered secondary storage and console proxy VMs, with their agents' state.</summary>
public sealed class ListSystemVmsHandler(IVmInventory inventory, IAgentDirectory directory) : IApiHandler
{
    private static readonly ApiParameter Id = new("id", ApiParameterType.Uuid, "the ID of the system VM") { Entity = SystemVmResponse.ObjectName };
    private static readonly ApiParameter Name = new("name", ApiParameterType.String, "the name of the system VM");
    private static readonly ApiParameter SystemVmType = new("systemvmtype", ApiParameterType.String,
        "the system VM type. Possible types are \"consoleproxy\" and \"secondarystoragevm\".");

    public ApiDefinition Definition { get; } = new("listSystemVms", "List system virtual machines.")
    {
        Access = ApiAccess.Admin,
        Parameters = [Id, Name, SystemVmType, .. ListParameters.Paging],
        ResponseObject = SystemVmResponse.ObjectName,
        Response = SystemVmResponse.Fields,
    };

    public async Task<JsonObject> HandleAsync(ApiCall call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        var page = call.Page();
        var type = call.Optional(SystemVmType) is { } t
            ? SystemVmTypes.Parse(t) ?? throw ApiException.Parameter($"systemvmtype must be one of {string.Join(", ", SystemVmTypes.All)}")
            : null;
        var name = call.Optional(Name);
        var vms = (await inventory.ListSystemVmsAsync(type, call.OptionalId(Id), ct).ConfigureAwait(false))
            .Where(vm => (name is null || string.Equals(vm.Name, name, StringComparison.OrdinalIgnoreCase)) && page.Matches(vm.Id, vm.Name, vm.SystemVmType))
            .ToList();
        var agents = (await directory.ListAsync(null, null, ct).ConfigureAwait(false)).ToDictionary(a => a.VmId, StringComparer.Ordinal);
        return ApiFormat.Page(SystemVmResponse.ObjectName, vms, page, vm => SystemVmResponse.Render(vm, agents.GetValueOrDefault(vm.Id)));
    }
}
