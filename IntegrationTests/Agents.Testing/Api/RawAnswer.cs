using System.Text.Json.Nodes;

namespace Agents.Testing;

/// <summary>An answer of the API as it came: the HTTP status and the JSON body (null when it was not JSON).</summary>
public sealed record RawAnswer(int Status, JsonObject? Body)
{
    /// <summary>The inner <c>&lt;command&gt;response</c> object.</summary>
    public JsonObject? Response => Body is { Count: 1 } ? Body.First().Value as JsonObject : null;

    public int? ErrorCode => Response?["errorcode"] is JsonValue code && code.TryGetValue<int>(out var value) ? value : null;

    public string? ErrorText => Response?["errortext"] is JsonValue text && text.TryGetValue<string>(out var value) ? value : null;

    public override string ToString() => $"HTTP {Status}: {Body?.ToJsonString() ?? "(not JSON)"}";
}
