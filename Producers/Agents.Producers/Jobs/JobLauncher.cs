using System.Text.Json.Nodes;
using Agents.Contracts;
using Agents.Contracts.Events;
using Agents.Producers.Api;

namespace Agents.Producers.Jobs;

/// <summary>
/// Creates the job of an API call and hands it to the engine; the call returns its job id at once.
/// <c>details</c> are string fields shown in the job's result and, as cmdInfo, on the event bus: never a secret.
/// </summary>
public sealed class JobLauncher(JobEngine engine, TimeProvider time)
{
    public async Task<Job> LaunchAsync(ApiCall call, string? instanceType, string? instanceId, IReadOnlyList<TargetSpec> targets,
        int maxConcurrency = 1, int maxErrors = 0, JsonObject? details = null, string? secret = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(targets);
        if (targets.Count == 0) throw ApiException.Parameter("no target: the call names no virtual machine or router that exists");
        var id = Guid.NewGuid();
        var job = new Job(id, call.Command, call.Caller.Account, AsyncJobStatus.Pending, "Queued", instanceType, instanceId,
            Math.Max(1, maxConcurrency), Math.Max(0, maxErrors), false, details?.ToJsonString(AgentJson.Options), null, time.GetUtcNow(), null);
        var rows = targets.Select((t, i) => JobTarget.New(id, i, t.CommandType, t.RouterId, t.VmId,
            AgentJson.Serialize(t.Payload))).ToList();
        return await engine.StartAsync(job, rows, secret, ct).ConfigureAwait(false);
    }
}
