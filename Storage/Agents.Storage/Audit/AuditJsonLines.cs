using System.Text.Json;
using System.Text.Json.Nodes;
using Agents.Contracts;

namespace Agents.Storage.Audit;

/// <summary>The export format: one JSON object a line, the original body embedded as an object.</summary>
public static class AuditJsonLines
{
    public static string Format(AuditRecord r)
    {
        ArgumentNullException.ThrowIfNull(r);
        JsonNode? body;
        try { body = JsonNode.Parse(r.Body); }
        catch (JsonException) { body = JsonValue.Create(r.Body); }
        var line = new JsonObject
        {
            ["id"] = r.EventId,
            ["routingKey"] = r.RoutingKey,
            ["source"] = r.Source,
            ["category"] = r.Category,
            ["type"] = r.Type,
            ["level"] = r.Level,
            ["resourceType"] = r.ResourceType,
            ["resourceId"] = r.ResourceId,
            ["description"] = r.Description,
            ["occurredAt"] = r.OccurredAt.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["receivedAt"] = r.ReceivedAt.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["body"] = body,
        };
        // the contract's options: the same relaxed encoder as the bus ('+', '<' and non-ASCII text stay readable)
        return line.ToJsonString(AgentJson.Options);
    }
}
