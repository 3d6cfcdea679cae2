using System.Globalization;

namespace Agents.Contracts.Events;

/// <summary>Builds and reads the flat string map that is a CloudStack event body.</summary>
public sealed class EventBody
{
    private readonly Dictionary<string, string?> _fields = new(StringComparer.Ordinal);

    public EventBody Set(string field, string? value)
    {
        if (value is not null) _fields[field] = value;
        return this;
    }

    public EventBody Set(string field, long? value) =>
        Set(field, value?.ToString(CultureInfo.InvariantCulture));

    public EventBody Set(string field, DateTimeOffset? value) =>
        Set(field, value?.ToString("O", CultureInfo.InvariantCulture));

    public IReadOnlyDictionary<string, string?> Build() => new Dictionary<string, string?>(_fields, StringComparer.Ordinal);

    public static string Required(CloudStackEvent e, string field) =>
        e[field] ?? throw new InvalidEventException($"{e.Category} {e.Type} lacks the field '{field}'");

    public static Guid RequiredGuid(CloudStackEvent e, string field) =>
        Guid.TryParse(Required(e, field), out var id) ? id : throw new InvalidEventException($"{e.Category} {e.Type}: field '{field}' is not a uuid");

    public static long? OptionalLong(CloudStackEvent e, string field) =>
        long.TryParse(e[field], NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;

    public static DateTimeOffset? OptionalTime(CloudStackEvent e, string field) =>
        DateTimeOffset.TryParse(e[field], CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var t) ? t : null;
}

public sealed class InvalidEventException(string message) : Exception(message);
