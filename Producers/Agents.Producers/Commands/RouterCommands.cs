using Agents.Contracts;
using Agents.Contracts.Commands;
using Agents.Contracts.Events;
using Agents.Producers.Api;
using Agents.Producers.Inventory;
using Agents.Producers.Jobs;
using Agents.Producers.Presence;
using Microsoft.Extensions.Options;
using Newtonsoft.Json.Linq;

namespace Agents.Producers.Commands;

/// <summary>
/// getRouterHealthCheckResults (admin): the last results the router's bridge published; with
/// performfreshchecks=true the checks run now (a RunHealthChecks command) and the call waits for them.
/// </summary>
public sealed class GetRouterHealthCheckResults(IAgentDirectory directory, JobLauncher jobs, IJobStore store, IOptions<ProducersOptions> options) : IApiCommand
{
    public string Name => "getRouterHealthCheckResults";
    public bool AdminOnly => true;

    public async Task<JObject> ExecuteAsync(ApiCall call, CancellationToken ct)
    {
        var routerId = call.RequiredId("routerid");
        var checks = new JArray();
        if (call.OptionalBool("performfreshchecks"))
        {
            var job = await jobs.LaunchAsync(call, ResourceTypes.DomainRouter, routerId,
                [new TargetSpec(routerId, null, CommandTypes.RunHealthChecks, new RunHealthChecks { CheckType = CheckTypeOf(call.Optional("checktype")) })], ct: ct).ConfigureAwait(false);
            var settings = options.Value.Provisioning;
            var deadline = DateTimeOffset.UtcNow.AddSeconds(settings.DeliveryTimeoutSeconds + settings.ExecutionTimeoutSeconds + 5);
            while ((job = await store.GetAsync(job.Id, ct).ConfigureAwait(false) ?? job) is { IsDone: false } && DateTimeOffset.UtcNow < deadline)
                await Task.Delay(200, ct).ConfigureAwait(false);
            if (!job.IsDone) throw new ApiException(ApiErrorCode.ResourceUnavailable, $"router {routerId} did not run its checks in time (job {job.Id})");
            var target = (await store.TargetsAsync(job.Id, ct).ConfigureAwait(false))[0];
            if (target.Status != TargetStatus.Success || target.Stdout is null)
                throw new ApiException(ApiErrorCode.ResourceUnavailable, $"router {routerId} could not run its checks: {job.ErrorText}");
            foreach (var result in AgentJson.Deserialize<List<HealthCheckResult>>(target.Stdout))
                checks.Add(Check(result.CheckName, result.CheckType.ToString(), result.Success, result.Details, result.LastUpdated));
        }
        else
        {
            foreach (var check in await directory.HealthAsync(routerId, ct).ConfigureAwait(false))
                checks.Add(Check(check.CheckName, check.CheckType, check.Success, check.Details, check.LastUpdated));
        }
        return new JObject { ["routerhealthchecks"] = new JObject { ["routerid"] = routerId, ["healthchecks"] = checks } };
    }

    /// <summary>CloudStack's checktype (basic or advanced); null runs both.</summary>
    private static HealthCheckType? CheckTypeOf(string? value) =>
        value is null ? null
        : Enum.TryParse<HealthCheckType>(value, ignoreCase: true, out var type) && Enum.IsDefined(type) && !char.IsAsciiDigit(value[0]) ? type
        : throw ApiException.Parameter("checktype must be basic or advanced");

    private static JObject Check(string? name, string? type, bool success, string? details, DateTimeOffset at) => new()
    {
        ["checkname"] = name,
        ["checktype"] = type?.ToLowerInvariant(),
        ["success"] = success,
        ["details"] = details,
        ["lastupdated"] = ApiFormat.Date(at),
    };
}

/// <summary>listAgents: agent presence as the bridges reported it; a user sees the agents of its own VMs.</summary>
public sealed class ListAgents(IAgentDirectory directory, IVmInventory inventory) : IApiCommand
{
    public string Name => "listAgents";

    public async Task<JObject> ExecuteAsync(ApiCall call, CancellationToken ct)
    {
        var agents = await directory.ListAsync(call.OptionalId("routerid"), call.OptionalId("virtualmachineid"), ct).ConfigureAwait(false);
        if (!call.Caller.IsAdmin)
        {
            var own = (await inventory.ListAsync(call.Caller.Account, null, null, ct).ConfigureAwait(false)).Select(vm => vm.Id).ToHashSet(StringComparer.Ordinal);
            agents = agents.Where(a => own.Contains(a.VmId)).ToList();
        }
        if (call.Optional("state") is { } state) agents = agents.Where(a => a.State.Equals(state, StringComparison.OrdinalIgnoreCase)).ToList();
        return ApiFormat.List("agent", agents.Select(a =>
        {
            var o = new JObject { ["virtualmachineid"] = a.VmId, ["state"] = a.State, ["lastchanged"] = ApiFormat.Date(a.Changed) };
            void Add(string key, string? value) { if (!string.IsNullOrEmpty(value)) o[key] = value; }
            Add("routerid", a.RouterId);
            Add("version", a.AgentVersion);
            Add("address", a.Address);
            Add("certificateserial", a.CertificateSerial);
            Add("certificatenotafter", a.CertificateNotAfter);
            Add("capabilities", a.Capabilities);
            Add("reason", a.Reason);
            return o;
        }));
    }
}
