using System.Globalization;
using System.Text.RegularExpressions;
using Agents.Testing;

namespace Agents.IntegrationTests.Deployment;

/// <summary>
/// docker-compose.yml's values as they read on this machine, without containers: a service's name
/// as a host is 127.0.0.1, each port of the file a free local port (the same one wherever it appears),
/// a container path a folder under <paramref name="root"/> (the volumes), a broker URI the private node's.
/// </summary>
public sealed partial class ComposeOnThisMachine(ComposeFile compose, string root, Func<string, string>? amqpUri = null)
{
    private readonly HashSet<string> _hosts = [.. compose.Services, "0.0.0.0", "127.0.0.1", "localhost"];
    private readonly Dictionary<int, int> _ports = [];

    public static string Dotnet => System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";

    public string Path(string containerPath) => System.IO.Path.Combine(root, containerPath.TrimStart('/'));

    public int Port(int composePort)
    {
        if (!_ports.TryGetValue(composePort, out var port)) _ports[composePort] = port = FreePort.Next();
        return port;
    }

    /// <summary>A command line: every value as <see cref="Value"/>, and the value of <c>--port</c> a port.</summary>
    public List<string> Arguments(IEnumerable<string> arguments)
    {
        var local = new List<string>();
        foreach (var argument in arguments)
            local.Add(local.Count > 0 && local[^1] == "--port" ? Port(int.Parse(argument, CultureInfo.InvariantCulture)).ToString(CultureInfo.InvariantCulture) : Value(argument));
        return local;
    }

    /// <summary>A service's environment, each value as <see cref="Value"/>; a setting whose name ends in <c>Port</c> a port.</summary>
    public Dictionary<string, string> Environment(string service) =>
        compose.Environment(service).ToDictionary(e => e.Key, e =>
            e.Key.EndsWith("Port", StringComparison.Ordinal) && int.TryParse(e.Value, out var port) ? Port(port).ToString(CultureInfo.InvariantCulture) : Value(e.Value));

    public string Value(string value)
    {
        if (AmqpUri().Match(value) is { Success: true } amqp)
            return amqpUri is null ? throw new InvalidOperationException("no broker to point AMQP URIs at") : amqpUri(Uri.UnescapeDataString(amqp.Groups[1].Value));
        if (HttpUrl().Match(value) is { Success: true } url && _hosts.Contains(url.Groups[2].Value))
            return $"{url.Groups[1].Value}127.0.0.1:{Port(int.Parse(url.Groups[3].Value, CultureInfo.InvariantCulture))}{url.Groups[4].Value}";
        if (value.StartsWith('/')) return Path(value);
        return _hosts.Contains(value) ? "127.0.0.1" : value;
    }

    [GeneratedRegex(@"^amqp://([^:]+):[^@]+@[\w.-]+:\d+/$")]
    private static partial Regex AmqpUri();

    [GeneratedRegex(@"^(https?://)([\w.-]+):(\d+)(.*)$")]
    private static partial Regex HttpUrl();
}
