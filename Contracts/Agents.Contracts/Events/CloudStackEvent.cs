using System.Globalization;
using System.Text.Json;

namespace Agents.Contracts.Events;

/// <summary>
/// One event on the <c>cloudstack-events</c> exchange, as CloudStack's RabbitMQ event bus carries
/// it: the routing key holds source, category, type and resource; the body is
/// <see cref="Description"/> (string fields) and <see cref="Objects"/> (the fields CloudStack
/// publishes as JSON objects: an AsyncJobEvent's <c>jobResult</c> and <c>cmdInfo</c>).
/// <see cref="Read"/> is the one reader of a delivery: every subscriber goes through it, and the
/// typed readers (<c>FromEvent</c> of each event record) take what it returns.
/// </summary>
public sealed record CloudStackEvent
{
    /// <summary>CloudStack's <c>ManagementService.Name</c>: the source of every event CloudStack publishes, and of ours.</summary>
    public const string ManagementServer = "management-server";

    private static readonly IReadOnlyDictionary<string, JsonElement> NoObjects = new Dictionary<string, JsonElement>();

    public string Source { get; init; } = ManagementServer;
    /// <summary>One of <see cref="EventCategory"/>.</summary>
    public required string Category { get; init; }
    /// <summary>The type as published, dotted (VM.RESETPASSWORD); for an AsyncJobEvent the job event (submit, update, complete).</summary>
    public required string Type { get; init; }
    public string? ResourceType { get; init; }
    public string? ResourceUuid { get; init; }
    public required IReadOnlyDictionary<string, string?> Description { get; init; }
    public IReadOnlyDictionary<string, JsonElement> Objects { get; init; } = NoObjects;

    public string RoutingKey => EventRoutingKey.Build(Source, Category, Type, ResourceType, ResourceUuid);

    /// <summary>The type listEvents shows: <see cref="Type"/>, except for AsyncJobEvents (whose type is the job event): <see cref="EventTypes.AsyncJob"/>.</summary>
    public string ListedType => Category == EventCategory.AsyncJobEvent ? EventTypes.AsyncJob : Type;

    /// <summary>The publisher's id of the event (our <c>messageId</c>); CloudStack's own events carry none.</summary>
    public string? MessageId => this["messageId"];

    /// <summary>CloudStack's <c>eventDateTime</c> (seconds); null when absent or unreadable (CloudStack's AsyncJobEvents carry none).</summary>
    public DateTimeOffset? EventDateTime => ParseDateTime(this["eventDateTime"]);

    public string? this[string field] => Description.TryGetValue(field, out var value) && !string.IsNullOrEmpty(value) ? value : null;

    public string Required(string field) =>
        this[field] ?? throw new InvalidEventException($"{Category} {Type} lacks the field '{field}'");

    public Guid RequiredGuid(string field) =>
        Guid.TryParse(Required(field), out var id) ? id : throw new InvalidEventException($"{Category} {Type}: field '{field}' is not a uuid");

    public Guid? OptionalGuid(string field) => Guid.TryParse(this[field], out var id) ? id : null;

    public long? OptionalLong(string field) =>
        long.TryParse(this[field], NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;

    public DateTimeOffset? OptionalTime(string field) =>
        DateTimeOffset.TryParse(this[field], CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var t) ? t : null;

    public JsonElement? Object(string field) => Objects.TryGetValue(field, out var value) ? value : null;

    /// <summary>CloudStack's <c>eventDateTime</c> format: <c>yyyy-MM-dd HH:mm:ss Z</c> (Java's SimpleDateFormat, so <c>+0000</c>).</summary>
    public static string FormatDateTime(DateTimeOffset at) =>
        at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss '+0000'", CultureInfo.InvariantCulture);

    private static readonly string[] DateTimeFormats = ["yyyy-MM-dd HH:mm:ss zzz", "yyyy-MM-dd HH:mm:ss 'GMT'zzz", "yyyy-MM-dd HH:mm:ss"];

    public static DateTimeOffset? ParseDateTime(string? value) =>
        value is not null && DateTimeOffset.TryParseExact(value.Replace("+0000", "+00:00", StringComparison.Ordinal), DateTimeFormats,
            CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t.ToUniversalTime() : null;

    /// <summary>The body as published: the string fields in their order, then the object fields.</summary>
    public byte[] ToUtf8() => ScratchJsonWriter.Write(this, static (writer, e) =>
    {
        writer.WriteStartObject();
        foreach (var (field, value) in e.Description)
            if (value is not null) writer.WriteString(field, value);
        foreach (var (field, value) in e.Objects)
        {
            writer.WritePropertyName(field);
            value.WriteTo(writer);
        }
        writer.WriteEndObject();
    });

    /// <summary>
    /// Reads a delivery from cloudstack-events, ours or CloudStack's: the routing key's five words,
    /// the body's fields (numbers and booleans as their text, objects and arrays as
    /// <see cref="Objects"/>), and the resource where the category puts it (see <see cref="EventShape"/>).
    /// </summary>
    /// <exception cref="InvalidEventException">The key is not five words, or the body is not a JSON object.</exception>
    public static CloudStackEvent Read(string routingKey, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(routingKey);
        var key = routingKey.Split('.');
        if (key.Length != 5)
            throw new InvalidEventException($"routing key '{Cut(routingKey)}' is not source.category.type.resourceType.resourceUuid");
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
        var objects = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        JsonDocument document;
        try { document = JsonDocument.Parse(body.ToArray(), new JsonDocumentOptions { MaxDepth = 32 }); }
        catch (JsonException e) { throw new InvalidEventException($"event body is not JSON: {e.Message}"); }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object) throw new InvalidEventException("event body is not a JSON object");
            try
            {
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    switch (property.Value.ValueKind)
                    {
                        case JsonValueKind.String: fields[property.Name] = property.Value.GetString(); break;
                        case JsonValueKind.Null: break;
                        case JsonValueKind.Object or JsonValueKind.Array: objects[property.Name] = property.Value.Clone(); break;
                        default: fields[property.Name] = property.Value.GetRawText(); break;
                    }
                }
            }
            catch (InvalidOperationException e)
            {
                // a string that is not valid UTF-8
                throw new InvalidEventException($"event body is not JSON: {e.Message}");
            }
        }
        return EventShape.Resolve(Word(key[0]) ?? "", Word(key[1]) ?? "", Word(key[2]), Word(key[3]), Word(key[4]), fields, objects);
    }

    private static string? Word(string word) => word is "*" or "" ? null : word;

    private static string Cut(string value) => value.Length <= 120 ? value : value[..120] + "…";
}
