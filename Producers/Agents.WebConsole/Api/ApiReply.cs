using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Agents.WebConsole.Api;

/// <summary>Reads CloudStack answers: <c>{count, item: [...]}</c> lists, fields that may be strings, numbers or absent.</summary>
public static class ApiReply
{
    public static int Count(JsonObject reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        return Int(reply, "count") ?? 0;
    }

    /// <summary>The items of a list answer (none when CloudStack answered an empty object).</summary>
    public static IReadOnlyList<JsonObject> Items(JsonObject reply, string name)
    {
        ArgumentNullException.ThrowIfNull(reply);
        return reply[name] is JsonArray array ? array.OfType<JsonObject>().ToList() : [];
    }

    public static string? Text(JsonNode? node, string field)
    {
        var value = node?[field];
        if (value is null) return null;
        return value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.Null => null,
            JsonValueKind.Object or JsonValueKind.Array => value.ToJsonString(),
            _ => value.ToJsonString(),
        };
    }

    public static int? Int(JsonNode? node, string field) =>
        int.TryParse(Text(node, field), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : null;

    public static bool? Bool(JsonNode? node, string field) => bool.TryParse(Text(node, field), out var b) ? b : null;

    /// <summary>CloudStack's dates (<c>2026-12-04T05:00:00+0000</c>) and ISO 8601.</summary>
    public static DateTimeOffset? Date(JsonNode? node, string field) => ParseDate(Text(node, field));

    public static DateTimeOffset? ParseDate(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var v = text.Trim();
        if (v.Length > 5 && (v[^5] == '+' || v[^5] == '-') && v[^4..].All(char.IsAsciiDigit)) v = v[..^2] + ":" + v[^2..];
        return DateTimeOffset.TryParse(v, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at.ToUniversalTime() : null;
    }
}
