using System.Text.Json.Nodes;

namespace Agents.Producers.Client;

/// <summary>
/// The counters of an agent job (<c>jobresult.agentjob</c>) while it runs and when it ends: one
/// per target status as the API counts them (lower-cased), every unsuccessful end counted as failed.
/// </summary>
public sealed record AgentJobProgress(int Total, int Succeeded, int Failed, int InProgress, int Pending, int Cancelled)
{
    public int Done => Succeeded + Failed + Cancelled;

    /// <summary>The counters of <paramref name="jobResult"/>, or null for a job that has none (a single-target command).</summary>
    public static AgentJobProgress? Of(JsonObject? jobResult)
    {
        if (jobResult?["agentjob"] is not JsonObject agentJob || ResponseValues.Int(agentJob["total"]) is not { } total) return null;
        int Count(string name) => ResponseValues.Int(agentJob[name]) ?? 0;
        return new AgentJobProgress(total, Count("success"),
            Count("failed") + Count("rejected") + Count("deliverytimedout") + Count("executiontimedout"),
            Count("inprogress"), Count("pending"), Count("cancelled"));
    }

    public override string ToString() =>
        $"{Done}/{Total} done ({Succeeded} succeeded, {Failed} failed{(Cancelled > 0 ? $", {Cancelled} cancelled" : "")}, {InProgress} in progress, {Pending} pending)";
}
