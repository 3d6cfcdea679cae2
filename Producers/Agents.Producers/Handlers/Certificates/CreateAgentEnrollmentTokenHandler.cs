using System.Text.Json.Nodes;
using Agents.Contracts.Ca;
using Agents.Producers.Api;
using Agents.Producers.Handlers.Routers;
using Agents.Producers.Handlers.VirtualMachines;
using Agents.Security.Identity;

namespace Agents.Producers.Handlers.Certificates;

/// <summary>createAgentEnrollmentToken: a one-time token for a VM's agent (its owner may ask) or a router's bridge (admin).</summary>
public sealed class CreateAgentEnrollmentTokenHandler(VmAccess vms, CaClient ca) : IApiHandler
{
    private static readonly ApiParameter VirtualMachineId = new("virtualmachineid", ApiParameterType.Uuid, "the VM whose agent enrolls with the token") { Entity = VirtualMachineResponse.ObjectName };
    private static readonly ApiParameter RouterId = new("routerid", ApiParameterType.Uuid, "the router whose bridge enrolls with the token (admin)") { Entity = RouterHealthCheckResponse.ObjectName };
    private static readonly ApiParameter Ttl = new("ttl", ApiParameterType.Integer, "seconds the token is valid (60..2592000, 3600 when absent)");

    public ApiDefinition Definition { get; } = new("createAgentEnrollmentToken", "Creates a one-time token with which a VM's agent or a router's bridge gets its first certificate")
    {
        Since = "agents-1.0",
        Parameters = [VirtualMachineId, RouterId, Ttl],
        ResponseObject = "enrollmenttoken",
        Response = [ApiResponseField.String("token", "the one-time token"), ApiResponseField.String("holder", "the identity the certificate will name"), ApiResponseField.Date("expires", "when the token expires")],
    };

    public async Task<JsonObject> HandleAsync(ApiCall call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        HolderIdentity holder;
        string? routerId = null;
        if (call.OptionalId(VirtualMachineId) is { } vmId)
        {
            // the token binds the VM to its router: only that router's bridge may enroll it, and the CA knows where to ask for renewals
            var vm = await vms.RequireAsync(call, vmId, ct, systemVms: true).ConfigureAwait(false);
            (holder, routerId) = (HolderIdentity.Vm(vm.Id), vm.RouterId);
        }
        else if (call.OptionalId(RouterId) is { } router)
        {
            if (!call.Caller.IsAdmin) throw ApiException.Denied("only an admin creates enrollment tokens for routers");
            holder = HolderIdentity.Router(router);
        }
        else throw ApiException.Missing(call.Command, VirtualMachineId.Name);
        var ttl = call.OptionalInt(Ttl, 60, 30 * 24 * 3600) ?? 3600;
        var created = await ca.CallAsync<EnrollmentTokenCreated>(new CreateEnrollmentToken { Holder = holder.Uri, RouterId = routerId, TtlSeconds = ttl }, ct).ConfigureAwait(false);
        return new JsonObject
        {
            ["enrollmenttoken"] = new JsonObject { ["token"] = created.Token, ["holder"] = created.Holder, ["expires"] = ApiFormat.Date(created.ExpiresAt) },
        };
    }
}
