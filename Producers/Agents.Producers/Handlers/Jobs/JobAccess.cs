using Agents.Producers.Api;
using Agents.Producers.Jobs;

namespace Agents.Producers.Handlers.Jobs;

/// <summary>Finds a job for a caller: a user sees only its own account's jobs.</summary>
public sealed class JobAccess(IJobStore store)
{
    public static readonly ApiParameter JobId = new("jobid", ApiParameterType.Uuid, "the ID of the asynchronous job") { Required = true, Entity = AsyncJobResponse.ObjectName };

    public async Task<Job> RequireAsync(ApiCall call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (!Guid.TryParse(call.Required(JobId), out var id)) throw new ApiException(ApiErrorCode.MalformedParameter, "jobid is not a uuid");
        var job = await store.GetAsync(id, ct).ConfigureAwait(false);
        if (job is null || !call.Caller.Owns(job.Account)) throw ApiException.NotFound($"async job {id}");
        return job;
    }
}
