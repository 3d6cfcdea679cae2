using System.Globalization;
using System.Text.Json;

namespace Agents.Testing;

/// <summary>
/// docs/examples/watch_events.py with Debian's python3-pika: the documented CloudStack-style
/// subscriber, as a process, for tests that the contract holds for a client that is not ours.
/// </summary>
public static class PikaWatcher
{
    /// <summary>Bound to <paramref name="binding"/> and ready; it exits by itself after <paramref name="count"/> events (or fails after <paramref name="seconds"/>).</summary>
    public static async Task<ServiceProcess> StartAsync(string amqpUri, string binding, int count, int seconds = 60)
    {
        var script = Path.Combine(RepositoryPaths.Root, "docs", "examples", "watch_events.py");
        var watcher = ServiceProcess.Start("watch_events.py", "/usr/bin/python3",
            [script, amqpUri, binding, count.ToString(CultureInfo.InvariantCulture), seconds.ToString(CultureInfo.InvariantCulture)]);
        await watcher.WaitForOutputAsync("ready", 30);
        return watcher;
    }

    /// <summary>The events it printed (<c>{"routingKey": …, "body": {…}}</c>), once it has seen them all and exited.</summary>
    public static async Task<IReadOnlyList<JsonElement>> EventsAsync(ServiceProcess watcher, double seconds = 90)
    {
        ArgumentNullException.ThrowIfNull(watcher);
        var exit = await watcher.WaitForExitAsync(seconds);
        if (exit != 0) throw new InvalidOperationException($"watch_events.py exited with {exit}:\n{watcher.Output}");
        return watcher.Lines.Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
    }
}
