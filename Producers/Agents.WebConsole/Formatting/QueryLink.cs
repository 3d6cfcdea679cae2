using System.Text;

namespace Agents.WebConsole.Formatting;

/// <summary>A console URL with query values (empty ones left out, every value escaped).</summary>
public static class QueryLink
{
    public static string Build(string path, IEnumerable<KeyValuePair<string, string?>> query)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(query);
        var link = new StringBuilder(path);
        var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        foreach (var (key, value) in query)
        {
            if (string.IsNullOrEmpty(value)) continue;
            link.Append(separator).Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value));
            separator = '&';
        }
        return link.ToString();
    }
}
