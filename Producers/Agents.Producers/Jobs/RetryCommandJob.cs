using Quartz;

namespace Agents.Producers.Jobs;

/// <summary>A due retry: hands the target back to the job engine.</summary>
public sealed class RetryCommandJob(JobEngine engine, ILogger<RetryCommandJob> logger) : IJob
{
    public async Task Execute(IJobExecutionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var data = context.MergedJobDataMap;
        var jobId = Guid.Parse(data.GetString("jobId")!);
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
