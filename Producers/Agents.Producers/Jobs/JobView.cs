using System.Text.Json.Nodes;
using Agents.Contracts.Events;
using Agents.Producers.Api;

namespace Agents.Producers.Jobs;

/// <summary>
/// A job in CloudStack's asyncjobs shape. The result of a finished job is command-specific; a
/// fan-out job also lists every target's status and output, while it runs too (for progress);
/// jobprocstatus of any pending job is its highest attempt so far, so retries show.
/// </summary>
public static class JobView
{
    public static readonly HashSet<string> FanOutCommands = new(StringComparer.OrdinalIgnoreCase) { "runAgentRecipe", "patchSystemVm" };

    public static JsonObject Render(Job job, IReadOnlyList<JobTarget> targets, string? secret)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(targets);
        var view = new JsonObject
        {
            ["jobid"] = job.Id.ToString(),
            ["account"] = job.Account,
            ["cmd"] = job.Command,
            ["jobstatus"] = (int)job.Status,
            // progress of a pending job: the highest attempt so far (1 the first send, 2 and on the retries of an agent not reached)
            ["jobprocstatus"] = job.Status == AsyncJobStatus.Pending ? targets.Select(t => t.Attempt).DefaultIfEmpty(0).Max() : 0,
            ["jobresultcode"] = job.Status == AsyncJobStatus.Failed ? 530 : 0,
            ["jobresulttype"] = "object",
            ["created"] = ApiFormat.Date(job.Created),
        };
        if (job.Completed is { } completed) view["completed"] = ApiFormat.Date(completed);
        if (job.InstanceType is not null) view["jobinstancetype"] = job.InstanceType;
        if (job.InstanceId is not null) view["jobinstanceid"] = job.InstanceId;
        var fanOut = FanOutCommands.Contains(job.Command);
        JsonObject? result = job.Status switch
        {
            AsyncJobStatus.Failed => new JsonObject { ["errorcode"] = 530, ["errortext"] = job.ErrorText ?? "failed" },
            AsyncJobStatus.Succeeded => Success(job, targets, secret),
            _ => fanOut ? new JsonObject() : null,
        };
        if (result is not null)
        {
            if (fanOut) result["agentjob"] = FanOut(job, targets);
            view["jobresult"] = result;
        }
        return view;
    }

    private static JsonObject Success(Job job, IReadOnlyList<JobTarget> targets, string? secret)
    {
        var first = targets[0];
        switch (job.Command.ToLowerInvariant())
        {
            case "resetpasswordforvirtualmachine":
            {
                var vm = new JsonObject { ["id"] = first.VmId, ["passwordenabled"] = true };
                if (secret is not null) vm["password"] = secret;
                return new JsonObject { ["virtualmachine"] = vm };
            }
            case "resetsshkeyforvirtualmachine":
            {
                var vm = new JsonObject { ["id"] = first.VmId };
                Merge(vm, job.Details);
                return new JsonObject { ["virtualmachine"] = vm };
            }
            case "getrouterhealthcheckresults":
                return new JsonObject { ["routerid"] = first.RouterId, ["stdout"] = first.Stdout };
            default:
                return new JsonObject { ["success"] = true };
        }
    }

    private static JsonObject FanOut(Job job, IReadOnlyList<JobTarget> targets)
    {
        var summary = new JsonObject
        {
            ["total"] = targets.Count,
            ["maxconcurrency"] = job.MaxConcurrency,
            ["maxerrors"] = job.MaxErrors,
        };
        foreach (var group in targets.GroupBy(t => Shown(t.Status)))
            summary[group.Key.ToString().ToLowerInvariant()] = group.Count();
        Merge(summary, job.Details);
        summary["targets"] = new JsonArray([.. targets.Select(t =>
        {
            var row = new JsonObject
            {
                ["routerid"] = t.RouterId,
                ["status"] = Shown(t.Status).ToString(),
                ["attempt"] = t.Attempt,
            };
            if (t.VmId is not null) row["virtualmachineid"] = t.VmId;
            if (t.ExitCode is { } code) row["exitcode"] = code;
            if (t.Stdout is not null) row["stdout"] = t.Stdout;
            if (t.Stderr is not null) row["stderr"] = t.Stderr;
            if (t.Message is not null) row["message"] = t.Message;
            return row;
        })]);
        return summary;
    }

    /// <summary>The job's details (string fields, never a secret) shown beside the result's own fields.</summary>
    private static void Merge(JsonObject into, string? details)
    {
        if (details is null || JsonNode.Parse(details) is not JsonObject fields) return;
        foreach (var (name, value) in fields) into[name] = value?.DeepClone();
    }

    private static TargetStatus Shown(TargetStatus status) => status == TargetStatus.Retrying ? TargetStatus.InProgress : status;
}
