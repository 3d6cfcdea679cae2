using System.Text.Json.Nodes;
using Agents.Producers.Api;

namespace Agents.Producers.Handlers.Routers;

/// <summary>A router's health checks as CloudStack's RouterHealthCheckResultsListResponse names them.</summary>
public static class RouterHealthCheckResponse
{
    public const string ObjectName = "routerhealthchecks";

    public static IReadOnlyList<ApiResponseField> Fields { get; } =
    [
        ApiResponseField.String("routerid", "the id of the router"),
        ApiResponseField.List("healthchecks", "the id of the router",
            ApiResponseField.String("checkname", "the name of the health check on the router"),
            ApiResponseField.String("checktype", "the type of the health check - basic or advanced"),
            ApiResponseField.Boolean("success", "result of the health check"),
            ApiResponseField.Date("lastupdated", "the date this VPC was created"),
            ApiResponseField.String("details", "detailed response generated on running health check")),
    ];

    public static JsonObject Check(string? name, string? type, bool success, string? details, DateTimeOffset at) => new()
    {
        ["checkname"] = name,
        ["checktype"] = type?.ToLowerInvariant(),
        ["success"] = success,
        ["details"] = details,
        ["lastupdated"] = ApiFormat.Date(at),
    };
}
