using System.Globalization;
using Agents.Consumers.Plugins;
using Agents.Contracts.Events;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Agents.Consumers.SamplePlugin;

/// <summary>
/// A sample plugin: one line per finished async job (CloudStack's AsyncJobEvent <c>complete</c>)
/// in the file <c>Plugins:JobCompletionLog:Path</c>: job id, status, command, account, instance.
/// A redelivered event finds its job's line and writes nothing (handlers must be idempotent: the
/// broker delivers at least once).
/// </summary>
[EventPlugin("job-completion-log", "*.AsyncJobEvent.complete.#")]
public sealed class JobCompletionLog(IConfiguration configuration, ILogger<JobCompletionLog> logger) : IConsumer<CloudStackEventMessage>
{
    private static readonly SemaphoreSlim Gate = new(1, 1);

    public async Task Consume(ConsumeContext<CloudStackEventMessage> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var job = AsyncJobChanged.FromEvent(context.ReadEvent());
        if (job.JobEvent != AsyncJobChanged.Complete) return;
        var path = configuration["Plugins:JobCompletionLog:Path"]
            ?? throw new InvalidOperationException("Plugins:JobCompletionLog:Path is not set");
        var line = string.Join('\t', job.JobId.ToString(), job.Status.ToString(), job.Command, job.Account ?? "",
            $"{job.InstanceType}/{job.InstanceUuid}", job.ChangedAt.ToString("O", CultureInfo.InvariantCulture));
        await Gate.WaitAsync(context.CancellationToken).ConfigureAwait(false);
        try
        {
            if (File.Exists(path) && (await File.ReadAllLinesAsync(path, context.CancellationToken).ConfigureAwait(false))
                .Any(l => l.StartsWith(job.JobId.ToString(), StringComparison.Ordinal)))
                return;
            await File.AppendAllTextAsync(path, line + "\n", context.CancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Gate.Release();
        }
        logger.LogInformation("Job {JobId} ({Command}) {Status} logged", job.JobId, job.Command, job.Status);
    }
}
