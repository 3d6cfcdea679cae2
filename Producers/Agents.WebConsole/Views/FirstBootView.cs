using System.Text.Json.Nodes;
using Agents.WebConsole.Api;

namespace Agents.WebConsole.Views;

/// <summary>A VM's first-boot recipes (listVMFirstBootRecipes): which, and whether they ran (Pending, Started).</summary>
public sealed record FirstBootView(string VmId, IReadOnlyList<string> Recipes, string State, string? JobId)
{
    public const string ObjectName = "vmfirstbootrecipes";

    public static FirstBootView From(JsonObject o) => new(
        ApiReply.Text(o, "virtualmachineid") ?? "",
        (ApiReply.Text(o, "recipenames") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        ApiReply.Text(o, "state") ?? "Pending",
        ApiReply.Text(o, "jobid"));
}
