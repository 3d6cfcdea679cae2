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
}
