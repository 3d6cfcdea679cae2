using System.Text.Json.Nodes;
using Agents.Producers.Api;
using Agents.Producers.Handlers.VirtualMachines;
using Agents.Producers.Inventory;
using Agents.Producers.Presence;

namespace Agents.Producers.Handlers.Routers;

/// <summary>listAgents: agent presence as the bridges reported it; a user sees the agents of its own VMs.</summary>
public sealed class ListAgentsHandler(IAgentDirectory directory, IVmInventory inventory) : IApiHandler
{
    private static readonly ApiParameter RouterId = new("routerid", ApiParameterType.Uuid, "the agents behind this router") { Entity = RouterHealthCheckResponse.ObjectName };
    private static readonly ApiParameter VirtualMachineId = new("virtualmachineid", ApiParameterType.Uuid, "the agent of this VM") { Entity = VirtualMachineResponse.ObjectName };
    private static readonly ApiParameter State = new("state", ApiParameterType.String, "Up, Down or Disconnected");

    public ApiDefinition Definition { get; } = new("listAgents", "Lists the VM agents and their state as their routers report it")
    {
        Since = "agents-1.0",
        Parameters = [RouterId, VirtualMachineId, State, .. ListParameters.Paging],
        ResponseObject = "agent",
        Response =
        [
            ApiResponseField.String("virtualmachineid", "the agent's VM"), ApiResponseField.String("state", "Up, Down or Disconnected"),
            ApiResponseField.Date("lastchanged", "when the state last changed"), ApiResponseField.String("routerid", "the router the agent is connected to"),
            ApiResponseField.String("version", "the agent's version"), ApiResponseField.String("address", "the agent's address as the router sees it"),
            ApiResponseField.String("certificateserial", "serial number of the agent's certificate"),
            ApiResponseField.String("certificatenotafter", "expiry of the agent's certificate"),
            ApiResponseField.String("capabilities", "what the agent's policy allows"), ApiResponseField.String("reason", "why the agent went down"),
        ],
    };

    public async Task<JsonObject> HandleAsync(ApiCall call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        var page = call.Page();
        var agents = await directory.ListAsync(call.OptionalId(RouterId), call.OptionalId(VirtualMachineId), ct).ConfigureAwait(false);
        if (!call.Caller.IsAdmin)
        {
            var own = (await inventory.ListAsync(call.Caller.Account, null, null, ct).ConfigureAwait(false)).Select(vm => vm.Id).ToHashSet(StringComparer.Ordinal);
            agents = agents.Where(a => own.Contains(a.VmId)).ToList();
        }
        var state = call.Optional(State);
        var rows = agents.Where(a => (state is null || a.State.Equals(state, StringComparison.OrdinalIgnoreCase)) && page.Matches(a.VmId, a.RouterId, a.State)).ToList();
        return ApiFormat.Page("agent", rows, page, a => new JsonObject { ["virtualmachineid"] = a.VmId, ["state"] = a.State, ["lastchanged"] = ApiFormat.Date(a.Changed) }
            .With("routerid", a.RouterId).With("version", a.AgentVersion).With("address", a.Address).With("certificateserial", a.CertificateSerial)
            .With("certificatenotafter", a.CertificateNotAfter).With("capabilities", a.Capabilities).With("reason", a.Reason));
    }
}
