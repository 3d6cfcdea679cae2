using System.Text.Json.Nodes;
using Agents.Contracts.Events;

namespace Agents.Producers.Client;

/// <summary>One answer of <c>queryAsyncJobResult</c>, read: its status, result and, for agent jobs, progress.</summary>
public sealed class AsyncJob(JsonObject response)
{
    /// <summary>The whole <c>queryasyncjobresultresponse</c> object.</summary>
    public JsonObject Response => response;

    public string JobId => ResponseValues.Text(response["jobid"]);

    public AsyncJobStatus Status => (AsyncJobStatus)(ResponseValues.Int(response["jobstatus"]) ?? 0);

    public bool IsFinished => Status != AsyncJobStatus.Pending;

    /// <summary><c>jobresult</c>: the command's response when it succeeded, <c>errorcode</c>/<c>errortext</c> when it failed.</summary>
    public JsonObject? Result => response["jobresult"] as JsonObject;

    /// <summary>The counters of an agent job (fan-outs report them while they run), or null.</summary>
    public AgentJobProgress? Progress => AgentJobProgress.Of(Result);

    public string ErrorText => ResponseValues.Text(Result?["errortext"]);

    /// <summary>This job when it succeeded; its failure (or that it still runs) as a <see cref="CloudStackApiException"/> otherwise.</summary>
    public AsyncJob EnsureSucceeded() => Status switch
    {
        AsyncJobStatus.Succeeded => this,
        AsyncJobStatus.Failed => throw new CloudStackApiException(Command, 200, ResponseValues.Int(Result?["errorcode"]) ?? 530, ErrorText, Result),
        _ => throw new CloudStackApiException($"job {JobId} ({Command}) has not finished"),
    };

    private string Command => ResponseValues.Text(response["cmd"]) is { Length: > 0 } cmd ? cmd : $"job {JobId}";

    public override string ToString() => response.ToJsonString();
}
