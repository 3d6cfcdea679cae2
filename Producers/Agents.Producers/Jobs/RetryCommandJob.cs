using System.Diagnostics;
using Agents.Producers.Telemetry;
using Quartz;

namespace Agents.Producers.Jobs;

/// <summary>A due retry: hands the target back to the job engine, in the trace of the command it retries.</summary>
public sealed class RetryCommandJob(JobEngine engine, ILogger<RetryCommandJob> logger) : IJob
{
    public const string TraceParentKey = "traceparent";

    public async Task Execute(IJobExecutionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var data = context.MergedJobDataMap;
        var jobId = Guid.Parse(data.GetString("jobId")!);
        // a retry scheduled before traces were kept (or recovered after a restart) starts a trace of its own
        _ = ActivityContext.TryParse(data.GetString(TraceParentKey), null, isRemote: true, out var parent);
        using var activity = ProducersTracing.Source.StartActivity("retry command", ActivityKind.Internal, parent);
        activity?.SetTag("agents.job.id", jobId);
        activity?.SetTag("agents.command.attempt", data.GetInt("attempt") + 1);
        try
        {
            await engine.RetryAsync(jobId, data.GetInt("seq"), data.GetInt("attempt")).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Retry of job {JobId} target {Seq} failed", jobId, data.GetInt("seq"));
        }
    }
}
