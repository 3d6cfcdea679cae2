using System.Text.RegularExpressions;

namespace Agents.Consumers;

/// <summary>Topic-exchange binding patterns on cloudstack-events (source.category.type.resourceType.resourceUuid).</summary>
public static partial class RoutingPattern
{
    [GeneratedRegex(@"^([A-Za-z0-9_\-]+|\*|#)(\.([A-Za-z0-9_\-]+|\*|#))*$")]
    private static partial Regex Pattern();

    public static bool IsValid(string? pattern) => !string.IsNullOrEmpty(pattern) && pattern.Length <= 255 && Pattern().IsMatch(pattern);

    /// <summary>A dotted event type as it appears in a routing key (VM.RESETPASSWORD becomes VM-RESETPASSWORD).</summary>
    public static string Word(string? value) => string.IsNullOrEmpty(value) ? "*" : value.Replace('.', '-');
}
