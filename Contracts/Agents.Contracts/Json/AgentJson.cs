using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Agents.Contracts;

/// <summary>
/// The one JSON dialect of every contract (bus, CA requests, agent frames): camelCase, enums as
/// strings, ISO-8601 times, nulls omitted, all through the source-generated
/// <see cref="ContractJsonContext"/>, so the NativeAOT agent reads and writes exactly what the
/// services do. Asking for a type the context does not know fails at once (NotSupportedException).
/// </summary>
public static class AgentJson
{
    /// <summary>
    /// The context's metadata with a relaxed encoder: a '+' or '&lt;' stays itself on the wire (base64,
    /// PEM, CloudStack's "+0000" dates) instead of a \u escape; nothing here is embedded in HTML.
    /// </summary>
    public static JsonSerializerOptions Options { get; } = new(ContractJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>For bodies written by hand (event bodies): the same encoder as <see cref="Options"/>.</summary>
    public static JsonWriterOptions WriterOptions { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static JsonTypeInfo<T> TypeInfo<T>() => (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T));

    /// <summary>Writes <paramref name="value"/> as its runtime type (which the context must know).</summary>
    public static byte[] ToUtf8(object value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return JsonSerializer.SerializeToUtf8Bytes(value, Options.GetTypeInfo(value.GetType()));
    }

    public static string Serialize(object value) => Encoding.UTF8.GetString(ToUtf8(value));

    /// <summary>A value as a JSON element, e.g. a command's payload: built once, then relayed as is.</summary>
    public static JsonElement ToElement(object value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return JsonSerializer.SerializeToElement(value, Options.GetTypeInfo(value.GetType()));
    }

    /// <summary>Reads a message body; throws <see cref="InvalidMessageException"/> with the reason when it is not a valid <typeparamref name="T"/>.</summary>
    public static T Deserialize<T>(ReadOnlySpan<byte> utf8)
    {
        try
        {
            return JsonSerializer.Deserialize(utf8, TypeInfo<T>())
                ?? throw new InvalidMessageException($"{typeof(T).Name}: body is empty or null");
        }
        catch (JsonException e)
        {
            // the reader's message names the position and the member, never the content (bodies may hold tokens)
            throw new InvalidMessageException($"{typeof(T).Name}: {e.Message}", e);
        }
        catch (InvalidOperationException e) when (e.InnerException is DecoderFallbackException)
        {
            throw new InvalidMessageException($"{typeof(T).Name}: body is not UTF-8", e);
        }
    }

    public static T Deserialize<T>(string json) => Deserialize<T>(Encoding.UTF8.GetBytes(json));

    /// <summary>Reads an element (a command's payload) as <typeparamref name="T"/>; the same errors as <see cref="Deserialize{T}(ReadOnlySpan{byte})"/>.</summary>
    public static T Deserialize<T>(JsonElement element)
    {
        try
        {
            return element.Deserialize(TypeInfo<T>())
                ?? throw new InvalidMessageException($"{typeof(T).Name}: empty or null");
        }
        catch (JsonException e)
        {
            throw new InvalidMessageException($"{typeof(T).Name}: {e.Message}", e);
        }
    }
}
