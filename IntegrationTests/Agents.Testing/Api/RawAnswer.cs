using System.Text.Json;
using System.Text.Json.Nodes;

namespace Agents.Testing;

/// <summary>An answer of the API as it came: the HTTP status, the body as text (JSON or XML) and every Set-Cookie header.</summary>
public sealed record RawAnswer(int Status, string Text, IReadOnlyList<string> SetCookies)
{
    /// <summary>The body as JSON; null when it was not a JSON object (XML, an empty body).</summary>
    public JsonObject? Body { get; } = Parse(Text);

    /// <summary>The inner <c>&lt;command&gt;response</c> object.</summary>
    public JsonObject? Response => Body is { Count: 1 } ? Body.First().Value as JsonObject : null;

    public int? ErrorCode => Response?["errorcode"] is JsonValue code && code.TryGetValue<int>(out var value) ? value : null;

    public string? ErrorText => Response?["errortext"] is JsonValue text && text.TryGetValue<string>(out var value) ? value : null;

    public override string ToString() => $"HTTP {Status}: {(Text.Length <= 2000 ? Text : Text[..2000] + "…")}";

    private static JsonObject? Parse(string text)
    {
        try { return JsonNode.Parse(text) as JsonObject; }
        catch (JsonException) { return null; }
    }
}
