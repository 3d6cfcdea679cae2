using System.Globalization;

namespace Agents.WebConsole.Formatting;

/// <summary>How the console writes times, ages, expiry and job states: the same words on every page.</summary>
public static class Format
{
    public static string When(DateTimeOffset? at) =>
        at is { } t ? t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) : "—";

    /// <summary>"just now", "5 min ago", "3 h ago", "2 days ago"; "—" when never.</summary>
    public static string Ago(DateTimeOffset? at, DateTimeOffset now)
    {
        if (at is not { } t) return "—";
        var age = now - t;
        if (age < TimeSpan.FromMinutes(1)) return "just now";
        if (age < TimeSpan.FromHours(1)) return $"{(int)age.TotalMinutes} min ago";
        if (age < TimeSpan.FromDays(2)) return $"{(int)age.TotalHours} h ago";
        return $"{(int)age.TotalDays} days ago";
    }

    /// <summary>A certificate's expiry in words and how worrying it is.</summary>
    public static (string Text, Severity Level) Expiry(DateTimeOffset? notAfter, DateTimeOffset now, TimeSpan window)
    {
        if (notAfter is not { } end) return ("unknown", Severity.None);
        var left = end - now;
        if (left <= TimeSpan.Zero) return ("expired " + Ago(end, now), Severity.Error);
        var text = left < TimeSpan.FromHours(1) ? $"in {Math.Max(1, (int)left.TotalMinutes)} min"
            : left < TimeSpan.FromDays(2) ? $"in {(int)left.TotalHours} h"
            : $"in {(int)left.TotalDays} days";
        return (text, left <= window ? Severity.Warning : Severity.Ok);
    }

    /// <summary>CloudStack's jobstatus: 0 pending, 1 success, 2 failure.</summary>
    public static string JobStatus(int? status) => status switch
    {
        0 => "Running",
        1 => "Succeeded",
        2 => "Failed",
        _ => "Unknown",
    };

    public static Severity JobSeverity(int? status) => status switch
    {
        1 => Severity.Ok,
        2 => Severity.Error,
        _ => Severity.None,
    };

    /// <summary>An agent's state as a severity: Up is fine, Down and Disconnected are not, no agent at all is unknown.</summary>
    public static Severity AgentSeverity(string? state) => state switch
    {
        "Up" => Severity.Ok,
        "Down" or "Disconnected" or "Unresponsive" => Severity.Error,
        _ => Severity.None,
    };

    public static string CssClass(Severity level) => level switch
    {
        Severity.Ok => "ok",
        Severity.Warning => "warn",
        Severity.Error => "bad",
        _ => "none",
    };

    /// <summary>A long text cut for a table cell (the whole text stays on the resource's own page).</summary>
    public static string Cut(string? text, int max)
    {
        if (string.IsNullOrEmpty(text)) return "";
        return text.Length <= max ? text : text[..Math.Max(1, max - 1)] + "…";
    }
}
