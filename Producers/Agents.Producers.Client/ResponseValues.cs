using System.Globalization;
using System.Text.Json.Nodes;

namespace Agents.Producers.Client;

/// <summary>Reads values of a response whatever JSON type the server chose (CloudStack sends some numbers as strings).</summary>
public static class ResponseValues
{
    /// <summary>A string as it is; any other value as its JSON; nothing as "".</summary>
    public static string Text(JsonNode? node) => node switch
    {
        null => "",
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => node.ToJsonString(),
    };

    public static int? Int(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<int>(out var i) => i,
        JsonValue v when v.TryGetValue<long>(out var l) && l is >= int.MinValue and <= int.MaxValue => (int)l,
        JsonValue v when v.TryGetValue<string>(out var s) && int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    };

    /// <summary>A CloudStack date (<c>yyyy-MM-dd'T'HH:mm:ss+0000</c>); null when absent or not such a date.</summary>
    public static DateTimeOffset? Date(JsonNode? node) =>
        DateTimeOffset.TryParseExact(Text(node), "yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) ? at : null;

    /// <summary>A list answer's <c>count</c>: CloudStack answers an empty list with <c>{}</c>, so no count is 0.</summary>
    public static int Count(JsonObject? response) => Int(response?["count"]) ?? 0;

    /// <summary>A list answer's items under <paramref name="name"/> (<c>virtualmachine</c>, <c>event</c> …): none when the list is empty (<c>{}</c>).</summary>
    public static IReadOnlyList<JsonObject> Items(JsonObject? response, string name) =>
        response?[name] is JsonArray items ? [.. items.OfType<JsonObject>()] : [];
}
