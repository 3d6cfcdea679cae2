using System.Text.Json;

namespace Agents.WebConsole.Live;

/// <summary>
/// A delivery from <c>cloudstack-events</c> as the console reads it: the routing key's five words
/// (<c>source.category.type.resourceType.resourceUuid</c>, <c>-</c> standing for <c>.</c> in the type) and the
/// body's fields as text. Unreadable deliveries are null: the console only shows events, it never stops on one.
/// </summary>
public sealed record CloudStackDelivery(string Category, string Type, string? ResourceType, string? ResourceId, IReadOnlyDictionary<string, string> Fields)
{
    public string? this[string field] => Fields.TryGetValue(field, out var value) && value.Length > 0 ? value : null;

    public static CloudStackDelivery? Read(string routingKey, ReadOnlySpan<byte> body)
    {
        var words = routingKey.Split('.');
        if (words.Length != 5) return null;
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 32 });
            using var document = JsonDocument.ParseValue(ref reader);
            if (document.RootElement.ValueKind != JsonValueKind.Object) return null;
            foreach (var property in document.RootElement.EnumerateObject())
            {
                switch (property.Value.ValueKind)
                {
                    case JsonValueKind.String: fields[property.Name] = property.Value.GetString() ?? ""; break;
                    case JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False: fields[property.Name] = property.Value.GetRawText(); break;
                }
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null;
        }
        return new CloudStackDelivery(words[1], words[2].Replace('-', '.'), Word(words[3]), Word(words[4]), fields);
    }

    private static string? Word(string word) => word is "*" or "" ? null : word;
}
