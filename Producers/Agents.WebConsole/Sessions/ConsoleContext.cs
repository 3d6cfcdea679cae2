using System.Text.Json.Nodes;
using Agents.WebConsole.Api;

namespace Agents.WebConsole.Sessions;

/// <summary>
/// The request as the console's pages see it: who is signed in (set by <see cref="ConsoleSessionMiddleware"/>
/// before any page runs), whether the page is framed by CloudStack's UI, and the API calls made as that user.
/// </summary>
public sealed class ConsoleContext(IConsoleApi api)
{
    public ConsoleUser? User { get; set; }

    /// <summary><c>?embed=1</c>: no outer navigation (the page sits in CloudStack's UI); links keep the mode.</summary>
    public bool Embedded { get; set; }

    public ConsoleUser RequireUser() => User ?? throw new InvalidOperationException("no signed-in user: the session middleware lets no page run without one");

    public Task<JsonObject> CallAsync(string command, CancellationToken ct, params (string Key, string? Value)[] parameters)
    {
        var given = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in parameters)
            if (!string.IsNullOrEmpty(value)) given[key] = value;
        return api.CallAsync(RequireUser(), command, given, ct);
    }

    /// <summary>A console path in the current mode: framed pages link to framed pages.</summary>
    public string Link(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!Embedded) return path;
        return path + (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "embed=1";
    }
}
