using System.Text.Json.Serialization;

namespace Agents.WebConsole.Live;

/// <summary>The notices' JSON, as the console's script reads it (camelCase; HTML characters escaped by the default encoder).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(LiveNotice))]
internal sealed partial class LiveJson : JsonSerializerContext;
