using System.Text.Json.Nodes;
using Agents.Producers.Api;
using Agents.Producers.Inventory;

namespace Agents.Producers.Handlers.VirtualMachines;

/// <summary>A VM as CloudStack's UserVmResponse names its fields (those this system knows).</summary>
public static class VirtualMachineResponse
{
    public const string ObjectName = "virtualmachine";

    public static IReadOnlyList<ApiResponseField> Fields { get; } =
    [
        ApiResponseField.String("id", "the ID of the virtual machine"),
        ApiResponseField.String("name", "the name of the virtual machine"),
        ApiResponseField.String("account", "the account associated with the virtual machine"),
        ApiResponseField.String("routerid", "the ID of the virtual router serving the virtual machine's agent"),
        ApiResponseField.Date("created", "the date when this virtual machine was registered"),
        ApiResponseField.String("systemvmtype", "secondarystoragevm or consoleproxy for a system VM (registerVirtualMachine only: listVirtualMachines lists user VMs)"),
    ];

    public static JsonObject Render(VirtualMachine vm)
    {
        ArgumentNullException.ThrowIfNull(vm);
        return new JsonObject { ["id"] = vm.Id, ["routerid"] = vm.RouterId, ["account"] = vm.Account, ["created"] = ApiFormat.Date(vm.Created) }
            .With("name", vm.Name).With("systemvmtype", vm.SystemVmType);
    }
}
