namespace Agents.Messaging;

/// <summary>The name a service instance gives its own queues (settings, revocations): letters, digits, '-' and '_'.</summary>
public static class InstanceName
{
    public const string Pattern = "^[A-Za-z0-9_-]{1,100}$";

    /// <summary>The host's name, lower-case, anything else as '-', with <paramref name="suffix"/> after a '-' when given.</summary>
    public static string OfHost(string? suffix = null)
    {
        var host = new string([.. Environment.MachineName.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-')]);
        return string.IsNullOrEmpty(suffix) ? host : $"{host}-{suffix}";
    }
}
