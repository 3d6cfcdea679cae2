using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;
using Newtonsoft.Json.Serialization;

namespace Agents.Contracts;

/// <summary>The one JSON dialect of the bus: camelCase, enums as strings, ISO-8601 times, nulls omitted.</summary>
public static class AgentJson
{
    public static JsonSerializerSettings Settings { get; } = new()
    {
        ContractResolver = new CamelCasePropertyNamesContractResolver { NamingStrategy = new CamelCaseNamingStrategy { ProcessDictionaryKeys = false } },
        Converters = { new StringEnumConverter() },
        NullValueHandling = NullValueHandling.Ignore,
        // event bodies are string maps: a date-looking string must stay the string it was
        DateParseHandling = DateParseHandling.None,
        DateTimeZoneHandling = DateTimeZoneHandling.Utc,
        MissingMemberHandling = MissingMemberHandling.Ignore,
        MaxDepth = 32,
    };

    public static JsonSerializer Serializer { get; } = JsonSerializer.Create(Settings);

    public static string Serialize(object value) => JsonConvert.SerializeObject(value, Settings);

    public static byte[] ToUtf8(object value) => Encoding.UTF8.GetBytes(Serialize(value));

    /// <summary>Reads a message body; throws <see cref="InvalidMessageException"/> with the reason when it is not a valid <typeparamref name="T"/>.</summary>
    public static T Deserialize<T>(ReadOnlySpan<byte> utf8)
    {
        string text;
        try { text = new UTF8Encoding(false, true).GetString(utf8); }
        catch (DecoderFallbackException) { throw new InvalidMessageException($"{typeof(T).Name}: body is not UTF-8"); }
        return Deserialize<T>(text);
    }

    public static T Deserialize<T>(string json)
    {
        try
        {
            return JsonConvert.DeserializeObject<T>(json, Settings)
                ?? throw new InvalidMessageException($"{typeof(T).Name}: body is empty or null");
        }
        catch (JsonException e)
        {
            throw new InvalidMessageException($"{typeof(T).Name}: {e.Message}");
        }
    }
}

/// <summary>A message that cannot be read as its contract: it goes to the dead-letter queue, it is never retried.</summary>
public sealed class InvalidMessageException(string message) : Exception(message);
