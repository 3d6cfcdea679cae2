using System.Text.Json.Nodes;
using Agents.Contracts.Commands;
using Agents.Contracts.Events;
using Agents.Producers.Api;
using Agents.Producers.Jobs;
using Microsoft.Extensions.Options;

namespace Agents.Producers.Handlers.VirtualMachines;

/// <summary>
/// resetPasswordForVirtualMachine: a new strong password, sealed to the key of the VM's current
/// agent certificate (PasswordSealer: now, and again at each retry), so the bus and the bridge
/// carry only ciphertext; a VM whose agent has not enrolled yet gets a job that waits for it through the
/// retries. The caller gets the password from the job result, once; until then it is kept
/// encrypted with the API's key and purged after agents.password.ttl.
/// </summary>
public sealed class ResetPasswordForVirtualMachineHandler(VmAccess vms, PasswordSealer sealer, JobLauncher jobs, IOptions<ProducersOptions> options) : IApiHandler
{
    private static readonly ApiParameter Id = new("id", ApiParameterType.Uuid, "The ID of the virtual machine") { Required = true, Entity = VirtualMachineResponse.ObjectName };
    public static readonly ApiParameter Username = new("username", ApiParameterType.String, "the user whose password is reset (agents.default.username when absent)");

    public ApiDefinition Definition { get; } = new("resetPasswordForVirtualMachine",
        "Resets the password for virtual machine. The virtual machine must be in a \"Stopped\" state and the template must already support this feature for this command to take effect. [async]")
    {
        IsAsync = true,
        Parameters = [Id, Username],
        ResponseObject = VirtualMachineResponse.ObjectName,
        Response = [.. VirtualMachineResponse.Fields,
            ApiResponseField.Boolean("passwordenabled", "true if the password rest feature is enabled, false otherwise"),
            ApiResponseField.String("password", "the password (if exists) of the virtual machine: in the first queryAsyncJobResult after success only")],
    };

    public async Task<JsonObject> HandleAsync(ApiCall call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        var vm = await vms.RequireAsync(call, call.RequiredId(Id), ct).ConfigureAwait(false);
        var username = call.Username(Username, options.Value.Provisioning.DefaultUsername);
        var password = Passwords.Generate(options.Value.Provisioning.PasswordLength);
        // sealed now when the VM has a certificate (outside the job engine's gate); without one, at a later attempt
        var unsealed = new JsonObject { ["username"] = username };
        var (payload, _) = await sealer.SealAsync(vm.Id, password, unsealed, ct).ConfigureAwait(false);
        var job = await jobs.LaunchAsync(call, ResourceTypes.VirtualMachine, vm.Id,
            [new TargetSpec(vm.RouterId, vm.Id, CommandTypes.ResetVmPassword, payload ?? unsealed)], secret: password, ct: ct).ConfigureAwait(false);
        return ApiFormat.Async(job.Id, vm.Id);
    }
}
