using System.Text.Json;

namespace Agents.Audit;

/// <summary>Reads a CloudStack event body: a flat JSON object, each value as its string (numbers and objects as their JSON text).</summary>
public static class EventFields
{
    /// <exception cref="FormatException">The body is not a JSON object.</exception>
    public static Dictionary<string, string?> Read(ReadOnlySpan<byte> body)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(body.ToArray()); }
        catch (JsonException e) { throw new FormatException($"event body is not JSON: {e.Message}", e); }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new FormatException("event body is not a JSON object");
            var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var p in doc.RootElement.EnumerateObject())
                fields[p.Name] = p.Value.ValueKind switch
                {
                    JsonValueKind.String => p.Value.GetString(),
                    JsonValueKind.Null => null,
                    _ => p.Value.GetRawText(),
                };
            return fields;
        }
    }
}
