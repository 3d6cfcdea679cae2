using System.Text.Json.Nodes;
using Agents.WebConsole.Api;

namespace Agents.WebConsole.Views;

/// <summary>A VM as listVirtualMachines answers it, with its agent when it has one.</summary>
public sealed record VmView(string Id, string? Name, string? Account, string? RouterId, DateTimeOffset? Created)
{
    public AgentView? Agent { get; init; }

    /// <summary>The name when it has one (shown escaped, as every value), else the id.</summary>
    public string Label => string.IsNullOrWhiteSpace(Name) ? Id : Name;

    public static VmView From(JsonObject o) => new(
        ApiReply.Text(o, "id") ?? "", ApiReply.Text(o, "name"), ApiReply.Text(o, "account"), ApiReply.Text(o, "routerid"), ApiReply.Date(o, "created"));
}
