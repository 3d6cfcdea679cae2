using System.Text.Json;
using Agents.Contracts.Commands;
using Agents.Contracts.Events;
using Microsoft.Extensions.Options;
using Agents.Messaging;

namespace Agents.Producers.Jobs;

/// <summary>
/// Moves jobs forward: sends pending targets within the job's concurrency and error budget,
/// records outcomes (duplicates and stale attempts are ignored), schedules a retry after a
/// DeliveryTimedOut while retries remain, finishes the job when every target is done. Every
/// change is written to the store before anything is published; every job state change is
/// published as an AsyncJobEvent.
/// </summary>
public sealed partial class JobEngine(
    IJobStore store,
    ICommandSender sender,
    IRetryScheduler retries,
    JobEvents events,
    PasswordSealer sealer,
    Telemetry.ProducersMetrics metrics,
    IOptions<ProducersOptions> options,
    TimeProvider time,
    ILogger<JobEngine> logger,
    Cluster.JobLeases leases)
{
    private readonly JobGates _gates = new();
    private ProvisioningOptions Settings => options.Value.Provisioning;

    /// <summary>
    /// Creates the job and sends its first targets: as many as its concurrency allows are claimed
    /// (InProgress, attempt 1) in the commit that creates the job, so nothing is published before
    /// the job is durable and no second commit stands between the call and its commands.
    /// </summary>
    public async Task<Job> StartAsync(Job job, IReadOnlyList<JobTarget> targets, string? secret, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(targets);
        // a password waits (encrypted) for its agent through every retry, then agents.password.ttl for its reading
        var waiting = (Settings.Retries + 1) * (Settings.DeliveryTimeoutSeconds + Settings.RetryIntervalSeconds + Settings.ExecutionTimeoutSeconds);
        var expires = secret is null ? (DateTimeOffset?)null : time.GetUtcNow().AddSeconds(waiting).AddMinutes(Settings.PasswordTtlMinutes);
        var now = time.GetUtcNow();
        var first = Math.Min(job.MaxConcurrency, targets.Count);
        var rows = targets.Select((t, i) => i < first ? t with { Status = TargetStatus.InProgress, Attempt = t.Attempt + 1, NextAttemptAt = null, Updated = now } : t).ToList();
        await store.CreateAsync(job, rows, secret, expires, leases.NewJobOwner(), ct).ConfigureAwait(false);
        logger.LogInformation("Job {JobId} ({Command}) for {Account} created with {Targets} target(s)", job.Id, job.Command, job.Account, targets.Count);
        using (await _gates.EnterAsync(job.Id).ConfigureAwait(false))
        {
            // the job is durable: its submit event and its first commands go out together; the submit is confirmed
            // before the job's next event, so every consumer still sees it first
            var submitted = events.JobChangedAsync(job, targets[0].CommandType);
            await PublishAsync(job, rows[..first], submitted).ConfigureAwait(false);
            await submitted.ConfigureAwait(false);
            await events.JobChangedAsync(job with { ProcessStatus = "InProgress" }, targets[0].CommandType).ConfigureAwait(false);
        }
        // the rest as the first answers come; and a job whose first targets all ended already (the broker refused them) ends here
        await PumpAsync(job.Id).ConfigureAwait(false);
        return await store.GetAsync(job.Id, CancellationToken.None).ConfigureAwait(false) ?? job;
    }

    /// <summary>Applies an outcome from the bus. Safe to call twice with the same outcome.</summary>
    public async Task OnOutcomeAsync(AgentCommandCompleted outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var jobId = outcome.JobId;
        using (await _gates.EnterAsync(jobId).ConfigureAwait(false))
        {
            var target = await store.FindTargetAsync(outcome.CommandId, CancellationToken.None).ConfigureAwait(false);
            if (target is null)
            {
                logger.LogDebug("Outcome of command {CommandId} (job {JobId}) is not ours", outcome.CommandId, outcome.JobId);
                return;
            }
            if (target.JobId != jobId)
            {
                logger.LogWarning("Outcome {Outcome} of command {CommandId} ignored: it names job {JobId}, the command is of job {TargetJobId}",
                    outcome.Outcome, outcome.CommandId, outcome.JobId, target.JobId);
                return;
            }
            if (target.IsTerminal || target.Status != TargetStatus.InProgress || outcome.Attempt != target.Attempt)
            {
                logger.LogInformation("Outcome {Outcome} of command {CommandId} attempt {Attempt} (job {JobId}) ignored: target is {Status} at attempt {Current}",
                    outcome.Outcome, outcome.CommandId, outcome.Attempt, target.JobId, target.Status, target.Attempt);
                return;
            }
            if (outcome.Outcome == CommandOutcome.DeliveryTimedOut)
            {
                await NotReachedAsync(target, outcome.Message).ConfigureAwait(false);
            }
            else
            {
                var recorded = target with
                {
                    Status = TargetStatusOf(outcome.Outcome), ExitCode = outcome.ExitCode, Stdout = outcome.Stdout, Stderr = outcome.Stderr,
                    Message = outcome.Message, NextAttemptAt = null, Updated = time.GetUtcNow(),
                };
                // a job of one target ends with its outcome: the outcome and the job's end are one commit, and nothing is left to pump
                // (only its first target can be a job's only one: a fan-out's other outcomes read nothing more for this)
                var single = target.Seq == 0 && (await store.CountTargetsAsync(jobId, CancellationToken.None).ConfigureAwait(false)).Total == 1;
                var job = single ? await store.GetAsync(jobId, CancellationToken.None).ConfigureAwait(false) : null;
                var done = job is { IsDone: false } ? Finished(job, [recorded]) : null;
                var (moved, completed) = done is not null
                    ? await store.MoveLastTargetAsync(target, recorded, done, CancellationToken.None).ConfigureAwait(false)
                    : (await store.MoveTargetAsync(target, recorded, CancellationToken.None).ConfigureAwait(false), false);
                if (!moved)
                {
                    logger.LogInformation("Outcome {Outcome} of command {CommandId} attempt {Attempt} (job {JobId}) ignored: another instance recorded it first",
                        outcome.Outcome, outcome.CommandId, outcome.Attempt, target.JobId);
                    return;
                }
                logger.LogInformation("Job {JobId}: {Target} {Outcome} (command {CommandId}, attempt {Attempt})",
                    jobId, Describe(target), outcome.Outcome, outcome.CommandId, outcome.Attempt);
                if (done is not null)
                {
                    if (completed) await CompletedAsync(done, [recorded]).ConfigureAwait(false);
                    return;
                }
            }
        }
        await PumpAsync(jobId).ConfigureAwait(false);
    }

    /// <summary>
    /// The target's agent was not reached at this attempt (DeliveryTimedOut from the bridge, or no
    /// certificate to seal its password to yet): a retry while retries remain, else the target
    /// fails saying the VM seems to have no agent and how to install one, and the alert goes out.
    /// Called under the job's gate; the caller pumps the job afterwards.
    /// </summary>
    private async Task NotReachedAsync(JobTarget target, string? message, bool final = false)
    {
        var now = time.GetUtcNow();
        if (!final && target.Attempt <= Settings.Retries
            && await store.GetAsync(target.JobId, CancellationToken.None).ConfigureAwait(false) is { CancelRequested: false } job)
        {
            var at = now.AddSeconds(Settings.RetryIntervalSeconds);
            if (!await store.MoveTargetAsync(target, target with { Status = TargetStatus.Retrying, NextAttemptAt = at, Message = message, Updated = now }, CancellationToken.None).ConfigureAwait(false))
                return;
            logger.LogWarning("Job {JobId}: {Target} not reached (attempt {Attempt} of {Max}): {Reason}; retrying at {At:O}",
                target.JobId, Describe(target), target.Attempt, Settings.Retries + 1, message, at);
            await events.JobChangedAsync(job with { ProcessStatus = "Retrying" }, target.CommandType).ConfigureAwait(false);
            await retries.ScheduleAsync(target.JobId, target.Seq, target.Attempt, at).ConfigureAwait(false);
            return;
        }
        var text = final ? message : NoAgentMessage(target, message);
        if (!await store.MoveTargetAsync(target, target with { Status = TargetStatus.DeliveryTimedOut, Message = text, NextAttemptAt = null, Updated = now },
            CancellationToken.None).ConfigureAwait(false))
            return;
        if (!final) await events.NoAgentAlertAsync(target, text!).ConfigureAwait(false);
        logger.LogInformation("Job {JobId}: {Target} DeliveryTimedOut (command {CommandId}, attempt {Attempt})", target.JobId, Describe(target), target.CommandId, target.Attempt);
    }

    /// <summary>A retry is due (from the scheduler): the same command id, the next attempt, a new message id.</summary>
    public async Task RetryAsync(Guid jobId, int seq, int afterAttempt)
    {
        using (await _gates.EnterAsync(jobId).ConfigureAwait(false))
        {
            var target = (await store.TargetsAsync(jobId, CancellationToken.None).ConfigureAwait(false)).FirstOrDefault(t => t.Seq == seq);
            if (target is null || target.Status != TargetStatus.Retrying || target.Attempt != afterAttempt) return;
            var job = await store.GetAsync(jobId, CancellationToken.None).ConfigureAwait(false);
            if (job is null) return;
            if (job.CancelRequested)
            {
                await store.MoveTargetAsync(target, target with { Status = TargetStatus.Cancelled, NextAttemptAt = null, Updated = time.GetUtcNow() }, CancellationToken.None).ConfigureAwait(false);
            }
            else
            {
                if (await SendAllAsync(job, [target]).ConfigureAwait(false) > 0)
                    await events.JobChangedAsync(job with { ProcessStatus = "InProgress" }, target.CommandType).ConfigureAwait(false);
            }
        }
        await PumpAsync(jobId).ConfigureAwait(false);
    }

    /// <summary>cancelAsyncJob: targets not yet sent are cancelled; those in flight finish and are recorded.</summary>
    public async Task<Job?> CancelAsync(Guid jobId)
    {
        using (await _gates.EnterAsync(jobId).ConfigureAwait(false))
        {
            var job = await store.GetAsync(jobId, CancellationToken.None).ConfigureAwait(false);
            if (job is null || job.IsDone || job.CancelRequested) return job;
            await store.UpdateJobAsync(job with { CancelRequested = true }, CancellationToken.None).ConfigureAwait(false);
            logger.LogInformation("Job {JobId}: cancel requested", jobId);
        }
        await PumpAsync(jobId).ConfigureAwait(false);
        return await store.GetAsync(jobId, CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>After a restart: retries are scheduled again and pending targets sent.</summary>
    public async Task RecoverAsync(CancellationToken ct)
    {
        foreach (var jobId in await store.UnfinishedJobIdsAsync(ct).ConfigureAwait(false))
        {
            foreach (var target in await store.TargetsAsync(jobId, ct).ConfigureAwait(false))
                if (target.Status == TargetStatus.Retrying)
                    await retries.ScheduleAsync(jobId, target.Seq, target.Attempt, target.NextAttemptAt ?? time.GetUtcNow()).ConfigureAwait(false);
            await PumpAsync(jobId).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Takes over what no instance did (its instance died, or the database was away): retries
    /// overdue by <see cref="ProvisioningOptions.TakeoverAfterSeconds"/> are sent, targets claimed but
    /// unanswered past the delivery and execution timeouts and that margin are sent again as their
    /// next attempt (the agent's journal answers a command id it ran without running it again),
    /// and every unfinished job is pumped. Each step is a conditional move: two instances sweeping
    /// at once still do it once.
    /// </summary>
    public async Task SweepAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var margin = TimeSpan.FromSeconds(Settings.TakeoverAfterSeconds);
        var silent = TimeSpan.FromSeconds(Settings.DeliveryTimeoutSeconds + Settings.ExecutionTimeoutSeconds) + margin;
        foreach (var jobId in await store.UnfinishedJobIdsAsync(ct).ConfigureAwait(false))
        {
            foreach (var target in await store.TargetsAsync(jobId, ct).ConfigureAwait(false))
            {
                if (target.Status == TargetStatus.Retrying && target.NextAttemptAt is { } due && due + margin <= now)
                {
                    logger.LogWarning("Job {JobId}: {Target} retry due at {Due:O} not sent: taken over", jobId, Describe(target), due);
                    await RetryAsync(jobId, target.Seq, target.Attempt).ConfigureAwait(false);
                }
                else if (target.Status == TargetStatus.InProgress && target.Updated + silent <= now
                    && await store.MoveTargetAsync(target, target with { Status = TargetStatus.Retrying, NextAttemptAt = now, Updated = now }, ct).ConfigureAwait(false))
                {
                    logger.LogWarning("Job {JobId}: {Target} sent at {Sent:O} and never answered: taken over, sent again", jobId, Describe(target), target.Updated);
                    await RetryAsync(jobId, target.Seq, target.Attempt).ConfigureAwait(false);
                }
            }
            await PumpAsync(jobId).ConfigureAwait(false);
        }
    }

    private async Task PumpAsync(Guid jobId)
    {
        using (await _gates.EnterAsync(jobId).ConfigureAwait(false))
        {
            var job = await store.GetAsync(jobId, CancellationToken.None).ConfigureAwait(false);
            if (job is null || job.IsDone) return;
            // counted by the database, and only the targets to send read: a fan-out's every outcome pumps its job
            var counts = await store.CountTargetsAsync(jobId, CancellationToken.None).ConfigureAwait(false);
            var stopped = job.CancelRequested || counts.Failures > job.MaxErrors;
            var pendingCount = counts.Of(TargetStatus.Pending);
            if (stopped)
            {
                var pending = await store.PendingTargetsAsync(jobId, pendingCount, CancellationToken.None).ConfigureAwait(false);
                var now = time.GetUtcNow();
                var message = job.CancelRequested ? "cancelled before it was sent" : $"not sent: the error budget (maxerrors {job.MaxErrors}) was spent";
                await store.MoveTargetsAsync([.. pending.Select(t => (t, t with { Status = TargetStatus.Cancelled, Updated = now, Message = message }))],
                    CancellationToken.None).ConfigureAwait(false);
            }
            else
            {
                var pending = await store.PendingTargetsAsync(jobId, Math.Min(pendingCount, job.MaxConcurrency - counts.InFlight), CancellationToken.None).ConfigureAwait(false);
                await SendAllAsync(job, pending).ConfigureAwait(false);
                if (counts.AllPending && pending.Count > 0)
                    await events.JobChangedAsync(job with { ProcessStatus = "InProgress" }, pending[0].CommandType).ConfigureAwait(false);
            }
            if ((await store.CountTargetsAsync(jobId, CancellationToken.None).ConfigureAwait(false)).AllTerminal)
                await FinishAsync(job, await store.TargetsAsync(jobId, CancellationToken.None).ConfigureAwait(false)).ConfigureAwait(false);
        }
    }

    /// <summary>Commands published at once by one pump (the messaging kit's confirming channels take them concurrently).</summary>
    private const int PublishParallelism = 64;

    /// <summary>
    /// Sends targets (Pending or Retrying) as their next attempt: all claimed InProgress in one
    /// transaction of conditional moves (durable before anything is published; a target another
    /// instance claimed first is left to it), each payload sealed for its agent, then the commands
    /// published concurrently, each confirmed by the broker; a command the broker did not take
    /// fails its target. Returns how many were claimed.
    /// </summary>
    private async Task<int> SendAllAsync(Job job, IReadOnlyList<JobTarget> targets)
    {
        if (targets.Count == 0) return 0;
        var now = time.GetUtcNow();
        var sending = await store.MoveTargetsAsync(
            [.. targets.Select(t => (t, t with { Status = TargetStatus.InProgress, Attempt = t.Attempt + 1, NextAttemptAt = null, Updated = now }))],
            CancellationToken.None).ConfigureAwait(false);
        await PublishAsync(job, sending).ConfigureAwait(false);
        return sending.Count;
    }

    /// <summary>
    /// Publishes targets claimed InProgress (durably, by the caller): each payload sealed for its
    /// agent (one that cannot be yet is not reached), the commands published concurrently, each
    /// confirmed by the broker; a command the broker did not take fails its target.
    /// </summary>
    /// <param name="announced">The job's event still being published (its submit): confirmed before a target not reached publishes another.</param>
    private async Task PublishAsync(Job job, IReadOnlyList<JobTarget> sending, Task? announced = null)
    {
        var commands = new List<(JobTarget Target, AgentCommand Command)>(sending.Count);
        var notReady = new List<(JobTarget Target, PasswordSealer.Sealed Why)>();
        foreach (var target in sending)
        {
            var payload = await sealer.PayloadAsync(target, ParsePayload(target.Payload)).ConfigureAwait(false);
            if (payload.Payload is not { } ready)
            {
                notReady.Add((target, payload));
                continue;
            }
            commands.Add((target, new AgentCommand
            {
                MessageId = Guid.NewGuid(),
                CommandId = target.CommandId,
                JobId = job.Id,
                Type = target.CommandType,
                RouterId = target.RouterId,
                VmId = target.VmId,
                Attempt = target.Attempt,
                CreatedAt = time.GetUtcNow(),
                DeliveryTimeoutSeconds = Settings.DeliveryTimeoutSeconds,
                ExecutionTimeoutSeconds = Settings.ExecutionTimeoutSeconds,
                Payload = ready,
            }));
        }
        var refused = new System.Collections.Concurrent.ConcurrentBag<(JobTarget, JobTarget)>();
        await Parallel.ForEachAsync(Messages(commands), new ParallelOptions { MaxDegreeOfParallelism = PublishParallelism }, async (m, _) =>
        {
            try
            {
                if (m.Count == 1) await sender.SendAsync(m[0].Command, CancellationToken.None).ConfigureAwait(false);
                else await sender.SendAsync(AgentCommandBatch.Of([.. m.Select(c => c.Command)]), CancellationToken.None).ConfigureAwait(false);
                foreach (var c in m)
                {
                    metrics.CommandPublished(c.Command.Type);
                    logger.LogInformation("Job {JobId}: sent {CommandType} {CommandId} (message {MessageId}, attempt {Attempt}, {BatchSize} in its message) to {Target}",
                        job.Id, c.Command.Type, c.Command.CommandId, c.Command.MessageId, c.Command.Attempt, m.Count, Describe(c.Target));
                }
            }
            catch (PublishFailedException e)
            {
                logger.LogError("Job {JobId}: {Count} command(s) not taken by the broker (first {CommandId}): {Error}", job.Id, m.Count, m[0].Command.CommandId, e.Message);
                foreach (var c in m)
                    refused.Add((c.Target, c.Target with { Status = TargetStatus.Failed, Message = $"the broker did not take the command: {e.Message}" }));
            }
        }).ConfigureAwait(false);
        if (!refused.IsEmpty) await store.MoveTargetsAsync([.. refused], CancellationToken.None).ConfigureAwait(false);
        if (announced is not null) await announced.ConfigureAwait(false);
        foreach (var (target, why) in notReady) await NotReachedAsync(target, why.NotYet, why.Final).ConfigureAwait(false);
    }

    /// <summary>
    /// The messages one send publishes: the commands to VMs behind one router go as batches of at
    /// most agents.command.batch.size targets and <see cref="AgentCommandBatch.MaxBytes"/> of
    /// payloads (the bridge expands them; the broker's max_message_size is 1 MiB); a router's own
    /// command, or a VM alone behind its router in this send, goes as one command message.
    /// </summary>
    private IEnumerable<IReadOnlyList<(JobTarget Target, AgentCommand Command)>> Messages(List<(JobTarget Target, AgentCommand Command)> commands)
    {
        foreach (var router in commands.GroupBy(c => (c.Command.RouterId, ToVm: c.Command.VmId is not null)))
        {
            if (!router.Key.ToVm)
            {
                foreach (var c in router) yield return [c];
                continue;
            }
            var batch = new List<(JobTarget Target, AgentCommand Command)>();
            var bytes = 0;
            foreach (var c in router)
            {
                var size = AgentCommandBatch.TargetBytes(c.Command);
                if (batch.Count > 0 && (batch.Count >= Settings.CommandBatchSize || bytes + size > AgentCommandBatch.MaxBytes))
                {
                    yield return batch;
                    (batch, bytes) = ([], 0);
                }
                batch.Add(c);
                bytes += size;
            }
            if (batch.Count > 0) yield return batch;
        }
    }

    private async Task FinishAsync(Job job, IReadOnlyList<JobTarget> targets)
    {
        var done = Finished(job, targets);
        // once across instances: the one whose update completes the job publishes its end
        if (!await store.CompleteJobAsync(done, CancellationToken.None).ConfigureAwait(false)) return;
        await CompletedAsync(done, targets).ConfigureAwait(false);
    }

    /// <summary>The job as it ends with <paramref name="targets"/> all terminal: succeeded, or failed (cancelled, or more failures than maxerrors) and why.</summary>
    private Job Finished(Job job, IReadOnlyList<JobTarget> targets)
    {
        var failures = targets.Count(t => t.IsFailure);
        var notSent = targets.Count(t => t.Status == TargetStatus.Cancelled);
        var failed = job.CancelRequested || failures > job.MaxErrors;
        string? error = null;
        if (job.CancelRequested) error = $"cancelled: {notSent} of {targets.Count} target(s) were not sent";
        else if (failed && targets.Count == 1) error = $"{targets[0].Status}: {targets[0].Message ?? "no message"}";
        else if (failed) error = $"{failures} of {targets.Count} targets failed, more than maxerrors {job.MaxErrors}: stopped, {notSent} target(s) not sent";
        return job with
        {
            Status = failed ? AsyncJobStatus.Failed : AsyncJobStatus.Succeeded,
            ProcessStatus = job.CancelRequested ? "Cancelled" : failed ? "Failed" : "Succeeded",
            ErrorText = error,
            Completed = time.GetUtcNow(),
        };
    }

    /// <summary>The job was completed by this instance (its update did it): logged, and its end published.</summary>
    private async Task CompletedAsync(Job done, IReadOnlyList<JobTarget> targets)
    {
        logger.LogInformation("Job {JobId} ({Command}) {ProcessStatus}: {Succeeded} succeeded, {Failed} failed, {NotSent} not sent",
            done.Id, done.Command, done.ProcessStatus, targets.Count(t => t.Status == TargetStatus.Success), targets.Count(t => t.IsFailure),
            targets.Count(t => t.Status == TargetStatus.Cancelled));
        await events.JobChangedAsync(done, targets[0].CommandType).ConfigureAwait(false);
    }

    private static TargetStatus TargetStatusOf(CommandOutcome outcome) => outcome switch
    {
        CommandOutcome.Success => TargetStatus.Success,
        CommandOutcome.Failed => TargetStatus.Failed,
        CommandOutcome.Rejected => TargetStatus.Rejected,
        CommandOutcome.DeliveryTimedOut => TargetStatus.DeliveryTimedOut,
        CommandOutcome.ExecutionTimedOut => TargetStatus.ExecutionTimedOut,
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "not a command outcome"),
    };

    /// <summary>The payload as the launcher stored it (the contract's JSON of the payload record): read once per send.</summary>
    private static JsonElement ParsePayload(string stored)
    {
        using var document = JsonDocument.Parse(stored);
        return document.RootElement.Clone();
    }

    private string NoAgentMessage(JobTarget target, string? last) => target.VmId is null
        ? $"router {target.RouterId} did not take the command after {target.Attempt} attempt(s) ({last ?? "no answer"}): its bridge seems down"
        : $"VM {target.VmId} did not answer after {target.Attempt} attempt(s) ({last ?? "no agent connected"}). " +
          $"The VM seems to have no agent. To install it: attach {Settings.AgentIso} (or use {Settings.AgentPackages}), " +
          $"then in the VM run: {Settings.AgentInstallCommand.Replace("<vm>", target.VmId, StringComparison.Ordinal)}";

    private static string Describe(JobTarget target) => target.VmId is null ? $"router {target.RouterId}" : $"VM {target.VmId}";
}
