using System.Globalization;

namespace Agents.Contracts.Events;

/// <summary>Builds the string fields of an event body in order; a null value leaves the field out (as CloudStack's Gson does).</summary>
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

    public EventBody Set(string field, Guid? value) => Set(field, value?.ToString());

    public IReadOnlyDictionary<string, string?> Build() => new Dictionary<string, string?>(_fields, StringComparer.Ordinal);
}
