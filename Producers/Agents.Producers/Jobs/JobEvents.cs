using Agents.Contracts.Events;
using Agents.Messaging.Publishing;

namespace Agents.Producers.Jobs;

/// <summary>What the job engine tells the event bus: AsyncJobEvents on every state change, and the no-agent alert. Never a secret.</summary>
public sealed class JobEvents(ConfirmingPublisher publisher, TimeProvider time, ILogger<JobEvents> logger)
{
    public async Task JobChangedAsync(Job job)
    {
        ArgumentNullException.ThrowIfNull(job);
        try
        {
            await publisher.PublishEventAsync(new AsyncJobChanged
            {
                MessageId = Guid.NewGuid(),
                JobId = job.Id,
                Command = job.Command,
                Status = job.Status,
                ProcessStatus = job.ProcessStatus,
                InstanceType = job.InstanceType,
                InstanceUuid = job.InstanceId,
                Account = job.Account,
                Summary = job.ErrorText,
                ChangedAt = time.GetUtcNow(),
            }.ToEvent(), CancellationToken.None).ConfigureAwait(false);
        }
        catch (PublishFailedException e)
        {
            // the job's state is in the store already; a lost notification is logged, not fatal
            logger.LogWarning("AsyncJobEvent of job {JobId} ({ProcessStatus}) not published: {Error}", job.Id, job.ProcessStatus, e.Message);
        }
    }

    public Task NoAgentAlertAsync(JobTarget target, string message)
    {
        ArgumentNullException.ThrowIfNull(target);
        var (type, id) = target.VmId is null ? (ResourceTypes.DomainRouter, target.RouterId) : (ResourceTypes.VirtualMachine, target.VmId);
        logger.LogWarning("Job {JobId}: alert {AlertType} for {ResourceType} {ResourceId}: {Message}", target.JobId, EventTypes.AlertAgentUnreachable, type, id, message);
        return publisher.PublishEventAsync(new AlertRaised
        {
            MessageId = Guid.NewGuid(),
            AlertType = EventTypes.AlertAgentUnreachable,
            Severity = AlertSeverity.Warning,
            GroupKey = $"agent-unreachable/{id}",
            ResourceType = type,
            ResourceUuid = id,
            Subject = target.VmId is null ? $"Router {id}: no bridge answered" : $"VM {id} seems to have no agent",
            Body = message + $" (job {target.JobId}, command {target.CommandType} {target.CommandId}).",
            RaisedAt = time.GetUtcNow(),
        }.ToEvent(), CancellationToken.None);
    }
}
