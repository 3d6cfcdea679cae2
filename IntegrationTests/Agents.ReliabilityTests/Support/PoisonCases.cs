using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Agents.ReliabilityTests.Support;

/// <summary>A body that is not what a queue's consumer expects, and its name for the report.</summary>
public sealed record PoisonCase(string Name, byte[] Body)
{
    /// <summary>The AMQP message-id the test publishes it with, to find it again in agents.dead and in the logs.</summary>
    public string Id { get; } = Guid.NewGuid().ToString();
}

/// <summary>
/// The bad bodies every queue is tried with: the same garbage for all (not JSON, broken UTF-8,
/// wrong JSON kinds, deep nesting, big and random bodies, a truncated valid message), then the
/// schema violations of each queue, made from a valid message of that queue.
/// </summary>
public static class PoisonCases
{
    /// <summary>Garbage for any queue; <paramref name="valid"/> is a valid body of that queue (truncated, it is one more case).</summary>
    public static IEnumerable<PoisonCase> Garbage(string valid)
    {
        yield return new("not JSON", Utf8("this is not json {{{"));
        yield return new("invalid UTF-8", [0xff, 0xfe, 0xfd, 0x00, 0xc3, 0x28]);
        yield return new("empty body", []);
        yield return new("JSON null", Utf8("null"));
        yield return new("JSON array", Utf8("[1,2,3]"));
        yield return new("JSON number", Utf8("42"));
        yield return new("truncated JSON", Utf8(valid)[..Math.Min(40, valid.Length - 1)]);
        yield return new("JSON objects nested 200 deep", Utf8(string.Concat(Enumerable.Repeat("{\"a\":", 200)) + "1" + new string('}', 200)));
        yield return new("500 KB of garbage", Utf8(new string('x', 500_000)));
        yield return new("binary noise", RandomBytes(4096, seed: 7));
    }

    /// <summary>
    /// JSON of loose test data (dictionaries of anything): the contract's context knows only contract
    /// types, and a poison case is by design not one, so tests write these with reflection.
    /// </summary>
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Serialize(object value) => JsonSerializer.Serialize(value, Json);

    /// <summary>A message as loose data, to break one field of it.</summary>
    public static Dictionary<string, object?> Loose(byte[] json) => JsonSerializer.Deserialize<Dictionary<string, object?>>(json, Json)!;

    /// <summary>A valid message of a queue with one change: a field removed, retyped or given a hostile value.</summary>
    public static PoisonCase Violation(string name, Dictionary<string, object?> valid, Action<Dictionary<string, object?>> change)
    {
        var copy = new Dictionary<string, object?>(valid);
        change(copy);
        return new(name, Utf8(Serialize(copy)));
    }

    public static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    private static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
