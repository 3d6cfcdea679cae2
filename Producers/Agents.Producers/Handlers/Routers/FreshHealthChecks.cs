using Agents.Contracts;
using Agents.Contracts.Commands;
using Agents.Producers.Api;
using Agents.Producers.Jobs;
using Microsoft.Extensions.Options;

namespace Agents.Producers.Handlers.Routers;

/// <summary>
/// performfreshchecks=true: a RunHealthChecks job for a router's bridge or a system VM's agent, and
/// the wait for its results (the outcome's stdout), bounded by the delivery and execution timeouts.
/// </summary>
public sealed class FreshHealthChecks(JobLauncher jobs, IJobStore store, IOptions<ProducersOptions> options)
{
    public static readonly ApiParameter PerformFreshChecks = new("performfreshchecks", ApiParameterType.Boolean,
        "if true is passed for this parameter, health checks are performed on the fly. Else last performed checks data is fetched");
    public static readonly ApiParameter CheckType = new("checktype", ApiParameterType.String, "basic or advanced: the checks run with performfreshchecks (both when absent)");

    /// <summary>Runs the checks of <paramref name="target"/> now; <paramref name="what"/> names it in errors.</summary>
    public async Task<IReadOnlyList<HealthCheckResult>> RunAsync(ApiCall call, string resourceType, string resourceId, string routerId, string? vmId, string what, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        var job = await jobs.LaunchAsync(call, resourceType, resourceId,
            [new TargetSpec(routerId, vmId, CommandTypes.RunHealthChecks, new RunHealthChecks { CheckType = CheckTypeOf(call.Optional(CheckType)) })], ct: ct).ConfigureAwait(false);
        var settings = options.Value.Provisioning;
        var deadline = DateTimeOffset.UtcNow.AddSeconds(settings.DeliveryTimeoutSeconds + settings.ExecutionTimeoutSeconds + 5);
        while ((job = await store.GetAsync(job.Id, ct).ConfigureAwait(false) ?? job) is { IsDone: false } && DateTimeOffset.UtcNow < deadline)
            await Task.Delay(200, ct).ConfigureAwait(false);
        if (!job.IsDone) throw ApiException.Unavailable($"{what} did not run its checks in time (job {job.Id})");
        var target = (await store.TargetsAsync(job.Id, ct).ConfigureAwait(false))[0];
        if (target.Status != TargetStatus.Success || target.Stdout is null)
            throw ApiException.Unavailable($"{what} could not run its checks: {job.ErrorText ?? target.Message}");
        return AgentJson.Deserialize<List<HealthCheckResult>>(target.Stdout);
    }

    /// <summary>CloudStack's checktype (basic or advanced); null runs both.</summary>
    private static HealthCheckType? CheckTypeOf(string? value) =>
        value is null ? null
        : Enum.TryParse<HealthCheckType>(value, ignoreCase: true, out var type) && Enum.IsDefined(type) && !char.IsAsciiDigit(value[0]) ? type
        : throw ApiException.Parameter("checktype must be basic or advanced");
}
