using System.Text.Json.Nodes;
using Agents.WebConsole.Api;

namespace Agents.WebConsole.Views;

/// <summary>An async job as listAsyncJobs and queryAsyncJobResult answer it; a fan-out job also has its targets.</summary>
public sealed record JobView(string Id, string Command, string? Account, int? Status, DateTimeOffset? Created, DateTimeOffset? Completed,
    string? InstanceType, string? InstanceId, string? ErrorText, IReadOnlyList<TargetView> Targets, int? Total, string? Recipe)
{
    public bool Running => Status == 0;

    public bool IsFanOut => Total is not null;

    public JobProgressView Progress => JobProgressView.Of(Id, Targets, Total, Running);

    public static JobView From(JsonObject o)
    {
        ArgumentNullException.ThrowIfNull(o);
        var result = o["jobresult"] as JsonObject;
        var fanOut = result?["agentjob"] as JsonObject;
        var targets = fanOut?["targets"] is JsonArray list ? list.OfType<JsonObject>().Select(TargetView.From).ToList() : [];
        return new JobView(ApiReply.Text(o, "jobid") ?? "", ApiReply.Text(o, "cmd") ?? "", ApiReply.Text(o, "account"), ApiReply.Int(o, "jobstatus"),
            ApiReply.Date(o, "created"), ApiReply.Date(o, "completed"), ApiReply.Text(o, "jobinstancetype"), ApiReply.Text(o, "jobinstanceid"),
            ApiReply.Text(result, "errortext"), targets, ApiReply.Int(fanOut, "total"), ApiReply.Text(fanOut, "recipe"));
    }
}
