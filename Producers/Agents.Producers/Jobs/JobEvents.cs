using System.Text.Json;
using System.Text.Json.Nodes;
using Agents.Contracts;
using Agents.Contracts.Events;
using Agents.Messaging;

namespace Agents.Producers.Jobs;

/// <summary>
/// What the job engine tells the event bus: an AsyncJobEvent on every state change of a job, as
/// CloudStack's API server publishes them (submit, update, complete), and the no-agent alert.
/// Never a secret: cmdInfo holds the job's details (names, never values of secrets) and jobResult
/// only the error of a failed job; a reset password reaches only queryAsyncJobResult.
/// </summary>
public sealed class JobEvents(IEventPublisher publisher, Telemetry.ProducersMetrics metrics, TimeProvider time, ILogger<JobEvents> logger)
{
    /// <param name="commandType">The command type of the job's targets: its outcomes' event type is the job's commandEventType.</param>
    public async Task JobChangedAsync(Job job, string commandType)
    {
        ArgumentNullException.ThrowIfNull(job);
        var commandEventType = AgentCommandCompleted.EventTypeOf(commandType);
        // a job completes once (the engine finishes it under its gate): counted here, where every state change passes
        if (job.IsDone) metrics.JobCompleted(job.Command, job.Status, (job.Completed ?? time.GetUtcNow()) - job.Created);
        try
        {
            await publisher.PublishAsync(new AsyncJobChanged
            {
                MessageId = Guid.NewGuid(),
                JobEvent = job.IsDone ? AsyncJobChanged.Complete : job.ProcessStatus == "Queued" ? AsyncJobChanged.Submit : AsyncJobChanged.Update,
                JobId = job.Id,
                Command = job.Command,
                CommandEventType = commandEventType,
                Status = job.Status,
                ResultCode = job.Status == AsyncJobStatus.Failed ? 530 : 0,
                InstanceType = job.InstanceType,
                InstanceUuid = job.InstanceId,
                User = job.Account,
                Account = job.Account,
                JobResult = ResultOf(job),
                CmdInfo = CmdInfoOf(job, commandEventType),
                Stage = job.ProcessStatus,
                ChangedAt = time.GetUtcNow(),
            }.ToEvent(), CancellationToken.None).ConfigureAwait(false);
        }
        catch (PublishFailedException e)
        {
            // the job's state is in the store already; a lost notification is logged, not fatal
            logger.LogWarning("AsyncJobEvent of job {JobId} ({ProcessStatus}) not published: {Error}", job.Id, job.ProcessStatus, e.Message);
        }
    }

    /// <summary>CloudStack's jobResult of a finished job: its error response, or its success response. Never the password of a reset.</summary>
    private static JsonElement? ResultOf(Job job) => job.Status switch
    {
        AsyncJobStatus.Failed => Element(new JsonObject { ["errorcode"] = 530, ["errortext"] = job.ErrorText ?? "failed" }),
        AsyncJobStatus.Succeeded => Element(new JsonObject { ["success"] = true }),
        _ => null,
    };

    private static JsonElement CmdInfoOf(Job job, string commandEventType)
    {
        var info = job.Details is null ? [] : JsonNode.Parse(job.Details) as JsonObject ?? [];
        info["cmdEventType"] = commandEventType;
        if (job.InstanceId is not null) info["id"] = job.InstanceId;
        return Element(info);
    }

    private static JsonElement Element(JsonObject value) => JsonSerializer.SerializeToElement(value, AgentJson.TypeInfo<JsonObject>());

    public Task NoAgentAlertAsync(JobTarget target, string message)
    {
        ArgumentNullException.ThrowIfNull(target);
        var (type, id) = target.VmId is null ? (ResourceTypes.DomainRouter, target.RouterId) : (ResourceTypes.VirtualMachine, target.VmId);
        logger.LogWarning("Job {JobId}: alert {AlertType} for {ResourceType} {ResourceId}: {Message}", target.JobId, EventTypes.AlertAgentUnreachable, type, id, message);
        return publisher.PublishAsync(new AlertRaised
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
