using System.Text.Json.Nodes;

namespace Agents.Cli.Api;

/// <summary>Polls <c>queryAsyncJobResult</c> until <c>jobstatus</c> leaves 0 (1 succeeded, 2 failed).</summary>
public sealed class JobWaiter(ApiClient api, TimeSpan pollInterval)
{
    public async Task<JsonObject> WaitAsync(string jobId, TimeSpan timeout, Action<JsonObject> progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var job = await api.CallAsync("queryAsyncJobResult", [new("jobid", jobId)], ct).ConfigureAwait(false);
            progress(job);
            if (JobStatus(job) != 0) return job;
            if (DateTime.UtcNow > deadline)
                throw new ApiError($"job {jobId} is still running after {timeout.TotalSeconds:0} s (agentctl queryAsyncJobResult jobid={jobId} to look again)");
            await Task.Delay(pollInterval, ct).ConfigureAwait(false);
        }
    }

    public static int JobStatus(JsonObject job) => job["jobstatus"]?.GetValue<int>() ?? 0;

    /// <summary>A fan-out job's counters (<c>jobresult.agentjob</c>), or null for a single-target job.</summary>
    public static FanOutProgress? FanOut(JsonObject job)
    {
        if (job["jobresult"]?["agentjob"] is not JsonObject agentJob || agentJob["total"] is not { } total) return null;
        int Count(string name) => agentJob[name]?.GetValue<int>() ?? 0;
        // per-target statuses as the API counts them (TargetStatus, lower-cased); every unsuccessful end counts as failed
        return new FanOutProgress(total.GetValue<int>(), Count("success"),
            Count("failed") + Count("rejected") + Count("deliverytimedout") + Count("executiontimedout"),
            Count("inprogress"), Count("pending"), Count("cancelled"));
    }
}

public sealed record FanOutProgress(int Total, int Succeeded, int Failed, int InProgress, int Pending, int Cancelled)
{
    public int Done => Succeeded + Failed + Cancelled;

    public override string ToString() =>
        $"{Done}/{Total} done ({Succeeded} succeeded, {Failed} failed{(Cancelled > 0 ? $", {Cancelled} cancelled" : "")}, {InProgress} in progress, {Pending} pending)";
}
