using System.Text.Json.Nodes;
using Agents.Producers.Api;
using Agents.Producers.Jobs;

namespace Agents.Producers.Handlers.Jobs;

/// <summary>queryAsyncJobResult. A reset password is in the result of the first query after success only, then purged.</summary>
public sealed class QueryAsyncJobResultHandler(JobAccess access, IJobStore store) : IApiHandler
{
    public ApiDefinition Definition { get; } = new("queryAsyncJobResult", "Retrieves the current status of asynchronous job.")
    {
        Parameters = [JobAccess.JobId],
        ResponseObject = AsyncJobResponse.ObjectName,
        Response = AsyncJobResponse.Fields,
    };

    public async Task<JsonObject> HandleAsync(ApiCall call, CancellationToken ct)
    {
        var job = await access.RequireAsync(call, ct).ConfigureAwait(false);
        var secret = job.Status == Contracts.Events.AsyncJobStatus.Succeeded ? await store.TakeSecretAsync(job.Id, ct).ConfigureAwait(false) : null;
        return JobView.Render(job, await store.TargetsAsync(job.Id, ct).ConfigureAwait(false), secret);
    }
}
