using System.Text.Json.Nodes;
using Agents.WebConsole.Api;

namespace Agents.WebConsole.Views;

/// <summary>One target of a job: a VM behind a router, or a router itself.</summary>
public sealed record TargetView(string? RouterId, string? VmId, string Status, int? Attempt, int? ExitCode, string? Stdout, string? Stderr, string? Message)
{
    /// <summary>Statuses after which a target changes no more.</summary>
    public static readonly IReadOnlySet<string> Final = new HashSet<string>(StringComparer.Ordinal)
        { "Success", "Failed", "Rejected", "DeliveryTimedOut", "ExecutionTimedOut", "Cancelled" };

    public bool IsFinal => Final.Contains(Status);

    public static TargetView From(JsonObject o) => new(
        ApiReply.Text(o, "routerid"), ApiReply.Text(o, "virtualmachineid"), ApiReply.Text(o, "status") ?? "Pending", ApiReply.Int(o, "attempt"),
        ApiReply.Int(o, "exitcode"), ApiReply.Text(o, "stdout"), ApiReply.Text(o, "stderr"), ApiReply.Text(o, "message"));
}
