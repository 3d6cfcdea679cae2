using System.Globalization;
using System.Text;

namespace Agents.VmAgent.Core.Logging;

/// <summary>
/// Renders a message template as text for the agent's own console log (the trimmed agent carries
/// no logging library): each hole, <c>{Name}</c> or <c>{Name:format}</c>, takes the next value,
/// formatted invariantly; <c>{{</c> and <c>}}</c> are literal braces. Hosts with Serilog or
/// Microsoft.Extensions.Logging get the template and the values as they are.
/// </summary>
public static class MessageTemplate
{
    public static string Render(string template, IReadOnlyList<object?> values)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(values);
        var text = new StringBuilder(template.Length + 32);
        var next = 0;
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if ((c == '{' || c == '}') && i + 1 < template.Length && template[i + 1] == c)
            {
                text.Append(c);
                i++;
                continue;
            }
            var end = c == '{' ? template.IndexOf('}', i + 1) : -1;
            if (end < 0)
            {
                text.Append(c);
                continue;
            }
            var hole = template.AsSpan(i + 1, end - i - 1);
            var colon = hole.IndexOf(':');
            var format = colon >= 0 ? hole[(colon + 1)..].ToString() : null;
            text.Append(next < values.Count ? Format(values[next], format) : template.AsSpan(i, end - i + 1).ToString());
            next++;
            i = end;
        }
        return text.ToString();
    }

    private static string Format(object? value, string? format) => value switch
    {
        null => "null",
        IFormattable formattable => formattable.ToString(format, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
