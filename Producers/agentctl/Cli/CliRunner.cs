using System.Text.Json.Nodes;
using Agents.Cli.Api;
using Agents.Cli.Config;
using Agents.Cli.Output;
using Spectre.Console;

namespace Agents.Cli.Cli;

/// <summary>
/// One API call as a user sees it: signed, sent, and when it answers with a <c>jobid</c>, waited on
/// (a progress bar for fan-out jobs) and printed. Exit codes: 0 done, 1 the API or the job failed,
/// 2 bad usage or configuration.
/// </summary>
public sealed class CliRunner(CliSettings settings, IAnsiConsole console, TextWriter output, TextWriter error)
{
    /// <summary>Commands that answer with a job's state rather than start one.</summary>
    private static readonly HashSet<string> JobQueries = new(StringComparer.OrdinalIgnoreCase) { "queryAsyncJobResult", "listAsyncJobs", "cancelAsyncJob" };

    public async Task<int> RunAsync(string command, IReadOnlyList<KeyValuePair<string, string>> parameters, CancellationToken ct)
    {
        try
        {
            var profile = ApiProfile.Resolve(settings.Url, settings.ApiKey, settings.SecretKey, settings.StackFile,
                Environment.GetEnvironmentVariable, Environment.CurrentDirectory);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(100) };
            var api = new ApiClient(profile, http);
            var printer = new ResultPrinter(console, output, settings.Json, settings.Columns);
            var response = await api.CallAsync(command, parameters, ct).ConfigureAwait(false);

            var jobId = response["jobid"] is { } id ? ResultPrinter.Text(id) : null;
            var running = command.Equals("queryAsyncJobResult", StringComparison.OrdinalIgnoreCase) && JobWaiter.JobStatus(response) == 0;
            if (jobId is null || settings.NoWait || (JobQueries.Contains(command) && !running))
            {
                printer.Print(response);
                return command.Equals("queryAsyncJobResult", StringComparison.OrdinalIgnoreCase) && JobWaiter.JobStatus(response) == 2 ? 1 : 0;
            }

            var job = await WaitAsync(new JobWaiter(api, settings.PollInterval), jobId, ct).ConfigureAwait(false);
            printer.PrintJob(job);
            if (JobWaiter.JobStatus(job) == 2)
            {
                error.WriteLine($"agentctl: job {jobId} failed: {ResultPrinter.Text(job["jobresult"]?["errortext"])}");
                return 1;
            }
            return 0;
        }
        catch (CliException e)
        {
            error.WriteLine($"agentctl: {e.Message}");
            return 2;
        }
        catch (ApiError e)
        {
            error.WriteLine($"agentctl: {command}: {e.Message}");
            return 1;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            error.WriteLine("agentctl: interrupted (a started job keeps running on the server)");
            return 130;
        }
    }

    private async Task<JsonObject> WaitAsync(JobWaiter waiter, string jobId, CancellationToken ct)
    {
        if (settings.Json || !console.Profile.Capabilities.Interactive)
        {
            // plain lines on stderr, only when something changed: logs and pipes stay readable
            string? last = null;
            return await waiter.WaitAsync(jobId, settings.JobTimeout, job =>
            {
                var line = JobWaiter.FanOut(job) is { } p ? $"job {jobId}: {p}" : $"job {jobId}: {(JobWaiter.JobStatus(job) == 0 ? "running" : "finished")}";
                if (line != last) error.WriteLine(line);
                last = line;
            }, ct).ConfigureAwait(false);
        }

        JsonObject? result = null;
        await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask($"job {jobId}", maxValue: 1);
                task.IsIndeterminate = true;
                result = await waiter.WaitAsync(jobId, settings.JobTimeout, job =>
                {
                    if (JobWaiter.FanOut(job) is { } p)
                    {
                        task.IsIndeterminate = false;
                        task.MaxValue = Math.Max(1, p.Total);
                        task.Value = p.Done;
                        task.Description = Markup.Escape($"job {jobId}: {p.Succeeded} ok, {p.Failed} failed, {p.InProgress} running");
                    }
                    if (JobWaiter.JobStatus(job) != 0)
                    {
                        task.IsIndeterminate = false;
                        task.Value = task.MaxValue;
                        task.StopTask();
                    }
                }, ct).ConfigureAwait(false);
            }).ConfigureAwait(false);
        return result!;
    }
}
