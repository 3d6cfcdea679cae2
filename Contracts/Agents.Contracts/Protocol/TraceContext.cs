namespace Agents.Contracts.Protocol;

/// <summary>
/// Reads a W3C <c>traceparent</c> (<c>00-&lt;32 hex trace id&gt;-&lt;16 hex span id&gt;-&lt;2 hex flags&gt;</c>)
/// without any tracing library: the agent only logs and returns the trace id.
/// </summary>
public static class TraceContext
{
    /// <summary>The trace id of <paramref name="traceParent"/>; null when it is absent or malformed (or all zeros).</summary>
    public static string? TraceIdOf(string? traceParent)
    {
        if (traceParent is null || traceParent.Length < 55) return null;
        var parts = traceParent.Split('-');
        if (parts.Length < 4 || parts[0].Length != 2 || parts[0] == "ff" || parts[1].Length != 32 || parts[2].Length != 16 || parts[3].Length != 2) return null;
        if (!parts.Take(4).All(IsLowerHex) || parts[1].All(c => c == '0') || parts[2].All(c => c == '0')) return null;
        return parts[1];
    }

    private static bool IsLowerHex(string s) => s.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');
}
