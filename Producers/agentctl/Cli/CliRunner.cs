using System.Text.Json.Nodes;
using Agents.Cli.Config;
using Agents.Cli.Output;
using Agents.Contracts.Events;
using Agents.Producers.Client;
using Spectre.Console;

namespace Agents.Cli.Cli;

/// <summary>
/// One API call as a user sees it: signed, sent, and when it answers with a <c>jobid</c>, waited on
/// (a progress bar for fan-out jobs) and printed. Exit codes: 0 done, 1 the API or the job failed,
/// 2 bad usage or configuration.
/// </summary>
public sealed class CliRunner(CliSettings settings, IAnsiConsole console, IAnsiConsole progress, TextWriter output, TextWriter error)
{
    /// <summary>Commands that answer with a job's state rather than start one.</summary>
    private static readonly HashSet<string> JobQueries = new(StringComparer.OrdinalIgnoreCase) { "queryAsyncJobResult", "listAsyncJobs", "cancelAsyncJob" };

    private static readonly TimeSpan MaxPoll = TimeSpan.FromSeconds(2);

    public Task<int> RunAsync(string command, IReadOnlyList<KeyValuePair<string, string>> parameters, CancellationToken ct) =>
        CallAsync(command, async (api, printer) =>
        {
            var response = await api.CallAsync(command, parameters, ct).ConfigureAwait(false);

            var jobId = response["jobid"] is { } id ? ResponseValues.Text(id) : null;
            var isQuery = command.Equals("queryAsyncJobResult", StringComparison.OrdinalIgnoreCase);
            var running = isQuery && new AsyncJob(response).Status == AsyncJobStatus.Pending;
            if (jobId is null || settings.NoWait || (JobQueries.Contains(command) && !running))
            {
                printer.Print(response);
                return isQuery && new AsyncJob(response).Status == AsyncJobStatus.Failed ? 1 : 0;
            }

            var job = await WaitAsync(api, jobId, ct).ConfigureAwait(false);
            printer.PrintJob(job);
            if (job.Status == AsyncJobStatus.Failed)
            {
                error.WriteLine($"agentctl: job {jobId} failed: {job.ErrorText}");
                return 1;
            }
            return 0;
        }, ct);

    /// <summary>
    /// One call whose answer is a single text (a token, a certificate): written alone to <paramref name="file"/>
    /// (through a temporary file and a rename, so a reader never sees half of it; <paramref name="secret"/>: mode 0600)
    /// and never printed, or printed alone on stdout when <paramref name="file"/> is null.
    /// </summary>
    public Task<int> SaveAsync(string command, IReadOnlyList<KeyValuePair<string, string>> parameters, string[] field, string? file, bool secret,
        Func<JsonObject, string> saved, CancellationToken ct) =>
        CallAsync(command, async (api, _) =>
        {
            var response = await api.CallAsync(command, parameters, ct).ConfigureAwait(false);
            JsonNode? node = response;
            foreach (var name in field) node = node?[name];
            var text = ResponseValues.Text(node);
            if (string.IsNullOrEmpty(text)) throw new CliException($"{command} answered without {string.Join('.', field)}");
            if (file is null)
            {
                output.WriteLine(text.TrimEnd('\n'));
                return 0;
            }
            OutputFile.Write(file, text.EndsWith('\n') ? text : text + "\n", secret);
            output.WriteLine($"{saved(response)} written to {file}");
            return 0;
        }, ct);

    /// <summary>The profile, the client and every failure turned into one line on stderr and an exit code.</summary>
    private async Task<int> CallAsync(string command, Func<CloudStackClient, ResultPrinter, Task<int>> call, CancellationToken ct)
    {
        ApiProfile? profile = null;
        try
        {
            profile = ApiProfile.Resolve(settings.Url, settings.ApiKey, settings.SecretKey, settings.StackFile,
                Environment.GetEnvironmentVariable, Environment.CurrentDirectory);
            using var api = new CloudStackClient(profile.Url, new ApiKeys(profile.ApiKey, profile.SecretKey));
            return await call(api, new ResultPrinter(console, output, settings.Json, settings.Columns)).ConfigureAwait(false);
        }
        catch (CliException e)
        {
            error.WriteLine($"agentctl: {e.Message}");
            return 2;
        }
        catch (CloudStackApiException e)
        {
            error.WriteLine($"agentctl: {e.Message}");
            return 1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"agentctl: {e.Message}");
            return 1;
        }
        catch (TimeoutException e)
        {
            error.WriteLine($"agentctl: {command}: {e.Message} (agentctl queryAsyncJobResult jobid=... to look again)");
            return 1;
        }
        catch (HttpRequestException e)
        {
            error.WriteLine($"agentctl: {profile?.Url} cannot be reached: {e.Message}");
            return 1;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            error.WriteLine("agentctl: interrupted (a started job keeps running on the server)");
            return 130;
        }
    }

    private JobWaitOptions Polling(Action<AsyncJob> progress) =>
        new() { Timeout = settings.JobTimeout, FirstPoll = settings.PollInterval, MaxPoll = settings.PollInterval > MaxPoll ? settings.PollInterval : MaxPoll, Progress = progress };

    private async Task<AsyncJob> WaitAsync(CloudStackClient api, string jobId, CancellationToken ct)
    {
        if (settings.Json || !progress.Profile.Capabilities.Interactive)
        {
            // plain lines on stderr, only when something changed: logs and pipes stay readable
            string? last = null;
            return await api.WaitForJobAsync(jobId, Polling(job =>
            {
                var line = job.Progress is { } p ? $"job {jobId}: {p}" : $"job {jobId}: {(job.IsFinished ? "finished" : "running")}";
                if (line != last) error.WriteLine(line);
                last = line;
            }), ct).ConfigureAwait(false);
        }

        AsyncJob? result = null;
        // the progress bar is drawn on stderr: stdout carries only the result
        await progress.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask($"job {jobId}", maxValue: 1);
                task.IsIndeterminate = true;
                result = await api.WaitForJobAsync(jobId, Polling(job =>
                {
                    if (job.Progress is { } p)
                    {
                        task.IsIndeterminate = false;
                        task.MaxValue = Math.Max(1, p.Total);
                        task.Value = p.Done;
                        task.Description = Markup.Escape($"job {jobId}: {p.Succeeded} ok, {p.Failed} failed, {p.InProgress} running");
                    }
                    if (job.IsFinished)
                    {
                        task.IsIndeterminate = false;
                        task.Value = task.MaxValue;
                        task.StopTask();
                    }
                }), ct).ConfigureAwait(false);
            }).ConfigureAwait(false);
        return result!;
    }
}
