using System.Text.Json.Nodes;
using Agents.Producers.Api;
using Agents.Producers.Jobs;

namespace Agents.Producers.Handlers.Jobs;

/// <summary>cancelAsyncJob: targets not yet sent are cancelled; in-flight ones finish; the job then fails as cancelled.</summary>
public sealed class CancelAsyncJobHandler(JobAccess access, JobEngine engine, IJobStore store) : IApiHandler
{
    public ApiDefinition Definition { get; } = new("cancelAsyncJob", "Cancels an async job: targets not yet sent are not sent")
    {
        Since = "agents-1.0",
        Parameters = [JobAccess.JobId],
        ResponseObject = AsyncJobResponse.ObjectName,
        Response = AsyncJobResponse.Fields,
    };

    public async Task<JsonObject> HandleAsync(ApiCall call, CancellationToken ct)
    {
        var job = await access.RequireAsync(call, ct).ConfigureAwait(false);
        if (job.IsDone) throw ApiException.InUse($"async job {job.Id} has already finished");
        job = await engine.CancelAsync(job.Id).ConfigureAwait(false) ?? job;
        return JobView.Render(job, await store.TargetsAsync(job.Id, ct).ConfigureAwait(false), null);
    }
}
