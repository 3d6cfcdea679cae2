using System.Globalization;

namespace Agents.Contracts.Events;

/// <summary>
/// Builds the string fields of an event body in order; a null value leaves the field out (as
/// CloudStack's Gson does). <see cref="Build"/> hands the fields over (no copy), after which the
/// body takes no more: size it with the number of fields the event has, so it never grows.
/// </summary>
/// <param name="fields">How many fields the event sets at most.</param>
public sealed class EventBody(int fields = 16)
{
    private readonly Dictionary<string, string?> _fields = new(fields, StringComparer.Ordinal);
    private bool _built;

    public EventBody Set(string field, string? value)
    {
        if (_built) throw new InvalidOperationException("the event body was built: it takes no more fields");
        if (value is not null) _fields[field] = value;
        return this;
    }

    public EventBody Set(string field, long? value) =>
        Set(field, value?.ToString(CultureInfo.InvariantCulture));

    public EventBody Set(string field, DateTimeOffset? value) =>
        Set(field, value?.ToString("O", CultureInfo.InvariantCulture));

    public EventBody Set(string field, Guid? value) => Set(field, value?.ToString());

    public IReadOnlyDictionary<string, string?> Build()
    {
        _built = true;
        return _fields;
    }
}
