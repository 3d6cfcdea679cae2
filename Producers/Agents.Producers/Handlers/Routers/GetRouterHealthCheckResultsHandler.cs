using System.Text.Json.Nodes;
using Agents.Contracts;
using Agents.Contracts.Commands;
using Agents.Contracts.Events;
using Agents.Producers.Api;
using Agents.Producers.Jobs;
using Agents.Producers.Presence;
using Microsoft.Extensions.Options;

namespace Agents.Producers.Handlers.Routers;

/// <summary>
/// getRouterHealthCheckResults (admin): the last results the router's bridge published; with
/// performfreshchecks=true the checks run now (a RunHealthChecks command) and the call waits for them.
/// </summary>
public sealed class GetRouterHealthCheckResultsHandler(IAgentDirectory directory, JobLauncher jobs, IJobStore store, IOptions<ProducersOptions> options) : IApiHandler
{
    private static readonly ApiParameter RouterId = new("routerid", ApiParameterType.Uuid, "the ID of the router") { Required = true, Entity = RouterHealthCheckResponse.ObjectName };
    private static readonly ApiParameter PerformFreshChecks = new("performfreshchecks", ApiParameterType.Boolean, "if true is passed for this parameter, health checks are performed on the fly. Else last performed checks data is fetched");
    private static readonly ApiParameter CheckType = new("checktype", ApiParameterType.String, "basic or advanced: the checks run with performfreshchecks (both when absent)");

    public ApiDefinition Definition { get; } = new("getRouterHealthCheckResults", "Starts a router.")
    {
        Since = "4.14.0",
        Access = ApiAccess.Admin,
        Parameters = [RouterId, PerformFreshChecks, CheckType],
        ResponseObject = RouterHealthCheckResponse.ObjectName,
        Response = RouterHealthCheckResponse.Fields,
    };

    public async Task<JsonObject> HandleAsync(ApiCall call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        var routerId = call.RequiredId(RouterId);
        var checks = new JsonArray();
        if (call.OptionalBool(PerformFreshChecks))
        {
            var job = await jobs.LaunchAsync(call, ResourceTypes.DomainRouter, routerId,
                [new TargetSpec(routerId, null, CommandTypes.RunHealthChecks, new RunHealthChecks { CheckType = CheckTypeOf(call.Optional(CheckType)) })], ct: ct).ConfigureAwait(false);
            var settings = options.Value.Provisioning;
            var deadline = DateTimeOffset.UtcNow.AddSeconds(settings.DeliveryTimeoutSeconds + settings.ExecutionTimeoutSeconds + 5);
            while ((job = await store.GetAsync(job.Id, ct).ConfigureAwait(false) ?? job) is { IsDone: false } && DateTimeOffset.UtcNow < deadline)
                await Task.Delay(200, ct).ConfigureAwait(false);
            if (!job.IsDone) throw ApiException.Unavailable($"router {routerId} did not run its checks in time (job {job.Id})");
            var target = (await store.TargetsAsync(job.Id, ct).ConfigureAwait(false))[0];
            if (target.Status != TargetStatus.Success || target.Stdout is null)
                throw ApiException.Unavailable($"router {routerId} could not run its checks: {job.ErrorText}");
            foreach (var result in AgentJson.Deserialize<List<HealthCheckResult>>(target.Stdout))
                checks.Add(RouterHealthCheckResponse.Check(result.CheckName, result.CheckType.ToString(), result.Success, result.Details, result.LastUpdated));
        }
        else
        {
            foreach (var check in await directory.HealthAsync(routerId, ct).ConfigureAwait(false))
                checks.Add(RouterHealthCheckResponse.Check(check.CheckName, check.CheckType, check.Success, check.Details, check.LastUpdated));
        }
        return new JsonObject { [RouterHealthCheckResponse.ObjectName] = new JsonObject { ["routerid"] = routerId, ["healthchecks"] = checks } };
    }

    /// <summary>CloudStack's checktype (basic or advanced); null runs both.</summary>
    private static HealthCheckType? CheckTypeOf(string? value) =>
        value is null ? null
        : Enum.TryParse<HealthCheckType>(value, ignoreCase: true, out var type) && Enum.IsDefined(type) && !char.IsAsciiDigit(value[0]) ? type
        : throw ApiException.Parameter("checktype must be basic or advanced");
}
