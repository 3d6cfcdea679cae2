using Agents.Producers.Api;
using Agents.Producers.Jobs;
using Newtonsoft.Json.Linq;

namespace Agents.Producers.Commands;

/// <summary>Finds a job for a caller: a user sees only its own account's jobs.</summary>
public sealed class JobAccess(IJobStore store)
{
    public async Task<Job> RequireAsync(ApiCall call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (!Guid.TryParse(call.Required("jobid"), out var id)) throw new ApiException(ApiErrorCode.MalformedParameter, "jobid is not a uuid");
        var job = await store.GetAsync(id, ct).ConfigureAwait(false);
        if (job is null || !call.Caller.Owns(job.Account)) throw ApiException.NotFound($"async job {id}");
        return job;
    }
}

/// <summary>queryAsyncJobResult. A reset password is in the result of the first query after success only, then purged.</summary>
public sealed class QueryAsyncJobResult(JobAccess access, IJobStore store) : IApiCommand
{
    public string Name => "queryAsyncJobResult";

    public async Task<JObject> ExecuteAsync(ApiCall call, CancellationToken ct)
    {
        var job = await access.RequireAsync(call, ct).ConfigureAwait(false);
        var secret = job.Status == Contracts.Events.AsyncJobStatus.Succeeded ? await store.TakeSecretAsync(job.Id, ct).ConfigureAwait(false) : null;
        return JobView.Render(job, await store.TargetsAsync(job.Id, ct).ConfigureAwait(false), secret);
    }
}

public sealed class ListAsyncJobs(IJobStore store) : IApiCommand
{
    public string Name => "listAsyncJobs";

    public async Task<JObject> ExecuteAsync(ApiCall call, CancellationToken ct)
    {
        var account = call.Caller.IsAdmin ? call.Optional("account") : call.Caller.Account;
        DateTimeOffset? start = null;
        if (call.Optional("startdate") is { } s)
            start = RequestAuthenticator.ParseExpires(s) ?? throw ApiException.Parameter("startdate must be yyyy-MM-dd'T'HH:mm:ssZ");
        var jobs = await store.ListAsync(account, start, call.OptionalInt("pagesize", 1, 1000) ?? 500, ct).ConfigureAwait(false);
        var rendered = new List<JObject>();
        foreach (var job in jobs) rendered.Add(JobView.Render(job, await store.TargetsAsync(job.Id, ct).ConfigureAwait(false), null));
        return ApiFormat.List("asyncjobs", rendered);
    }
}

/// <summary>cancelAsyncJob: targets not yet sent are cancelled; in-flight ones finish; the job then fails as cancelled.</summary>
public sealed class CancelAsyncJob(JobAccess access, JobEngine engine, IJobStore store) : IApiCommand
{
    public string Name => "cancelAsyncJob";

    public async Task<JObject> ExecuteAsync(ApiCall call, CancellationToken ct)
    {
        var job = await access.RequireAsync(call, ct).ConfigureAwait(false);
        if (job.IsDone) throw new ApiException(ApiErrorCode.ResourceInUse, $"async job {job.Id} has already finished");
        job = await engine.CancelAsync(job.Id).ConfigureAwait(false) ?? job;
        return JobView.Render(job, await store.TargetsAsync(job.Id, ct).ConfigureAwait(false), null);
    }
}
