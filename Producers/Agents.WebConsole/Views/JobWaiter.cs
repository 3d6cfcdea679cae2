using System.Text.Json.Nodes;
using Agents.Contracts;
using Agents.WebConsole.Api;
using Agents.WebConsole.Sessions;

namespace Agents.WebConsole.Views;

/// <summary>
/// Waits for a job through queryAsyncJobResult, as any CloudStack client does. Its finished answer is
/// the only one that carries a reset password (the API gives it once), so the caller must show it then.
/// </summary>
public static class JobWaiter
{
    private static readonly Backoff Polls = new(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1));

    /// <summary>The finished job's answer, or null when it still runs after <paramref name="timeout"/>.</summary>
    public static async Task<JsonObject?> WaitAsync(ConsoleContext context, string jobId, TimeSpan timeout, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var until = DateTimeOffset.UtcNow + timeout;
        for (var poll = 0; ; poll++)
        {
            var job = await context.CallAsync("queryAsyncJobResult", ct, ("jobid", jobId)).ConfigureAwait(false);
            if (ApiReply.Int(job, "jobstatus") is not 0) return job;
            if (DateTimeOffset.UtcNow >= until) return null;
            await Task.Delay(Polls.Delay(poll), ct).ConfigureAwait(false);
        }
    }

    /// <summary>The jobid of an async command's answer.</summary>
    public static string JobId(JsonObject reply) => ApiReply.Text(reply, "jobid") ?? throw new ConsoleApiException(530, "the API answered no jobid");
}
