using System.Text.Json.Nodes;
using Agents.WebConsole.Api;

namespace Agents.WebConsole.Views;

/// <summary>One event as listEvents answers it.</summary>
public sealed record EventView(string Id, string? Type, string? Level, string? Category, string? Description, DateTimeOffset? Created, string? ResourceType, string? ResourceId)
{
    public static EventView From(JsonObject o) => new(
        ApiReply.Text(o, "id") ?? "", ApiReply.Text(o, "type"), ApiReply.Text(o, "level"), ApiReply.Text(o, "category"), ApiReply.Text(o, "description"),
        ApiReply.Date(o, "created"), ApiReply.Text(o, "resourcetype"), ApiReply.Text(o, "resourceid"));
}
