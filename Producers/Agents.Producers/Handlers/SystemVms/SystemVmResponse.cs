using System.Text.Json.Nodes;
using Agents.Contracts.Events;
using Agents.Producers.Api;
using Agents.Producers.Inventory;
using Agents.Producers.Presence;

namespace Agents.Producers.Handlers.SystemVms;

/// <summary>A secondary storage or console proxy VM as CloudStack's SystemVmResponse names its fields (those this system knows).</summary>
public static class SystemVmResponse
{
    public const string ObjectName = "systemvm";
    /// <summary>CloudStack's agentstate of a system VM whose agent never reported (Status.Unknown).</summary>
    public const string UnknownAgentState = "Unknown";

    public static IReadOnlyList<ApiResponseField> Fields { get; } =
    [
        ApiResponseField.String("id", "the ID of the system VM"),
        ApiResponseField.String("systemvmtype", "the system VM type"),
        ApiResponseField.String("name", "the name of the system VM"),
        ApiResponseField.Date("created", "the date and time the system VM was created"),
        ApiResponseField.String("agentstate", "the agent state of the system VM: Up, Down or Unresponsive as its bridge reports it, Unknown before its agent first connected"),
        ApiResponseField.String("version", "the systemvm agent version"),
        ApiResponseField.Date("disconnected", "the last disconnected date of host"),
        ApiResponseField.String("routerid", "the ID of the router (bridge) the system VM's agent connects to"),
        ApiResponseField.String("certificateserial", "serial number of the system VM agent's certificate"),
    ];

    public static JsonObject Render(VirtualMachine vm, AgentInfo? agent)
    {
        ArgumentNullException.ThrowIfNull(vm);
        var o = new JsonObject
        {
            ["id"] = vm.Id,
            ["systemvmtype"] = vm.SystemVmType,
            ["created"] = ApiFormat.Date(vm.Created),
            ["agentstate"] = agent?.State ?? UnknownAgentState,
        }.With("name", vm.Name).With("version", agent?.AgentVersion);
        if (agent is not null && agent.State != AgentStates.Up) o["disconnected"] = ApiFormat.Date(agent.Changed);
        return o.With("routerid", vm.RouterId).With("certificateserial", agent?.CertificateSerial);
    }
}
