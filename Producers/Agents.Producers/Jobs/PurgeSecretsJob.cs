using Quartz;

namespace Agents.Producers.Jobs;

/// <summary>Every minute: unread reset passwords past agents.password.ttl are deleted.</summary>
[DisallowConcurrentExecution]
public sealed class PurgeSecretsJob(IJobStore store, TimeProvider time, ILogger<PurgeSecretsJob> logger) : IJob
{
    public async Task Execute(IJobExecutionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var purged = await store.PurgeExpiredSecretsAsync(time.GetUtcNow(), context.CancellationToken).ConfigureAwait(false);
        if (purged > 0) logger.LogInformation("Purged {Count} unread password(s) past their TTL", purged);
    }
}
