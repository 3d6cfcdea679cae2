using System.Text.Json.Nodes;
using Agents.WebConsole.Api;

namespace Agents.WebConsole.Views;

/// <summary>One health check of a router, as getRouterHealthCheckResults answers it.</summary>
public sealed record HealthCheckView(string Name, string? Type, bool Success, string? Details, DateTimeOffset? LastUpdated)
{
    public static HealthCheckView From(JsonObject o) => new(
        ApiReply.Text(o, "checkname") ?? "", ApiReply.Text(o, "checktype"), ApiReply.Bool(o, "success") ?? false, ApiReply.Text(o, "details"), ApiReply.Date(o, "lastupdated"));
}
