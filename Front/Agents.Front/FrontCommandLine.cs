using Agents.Messaging.Hosting;

namespace Agents.Front;

/// <summary>
/// The front's two short options, <c>--listen URL</c> and <c>--backend URL</c> (repeated), become the
/// settings <c>--Front:Listen</c> and <c>--Front:Backends:N</c>; the rest is the command line every
/// service shares (<see cref="ServiceCommandLine"/>: settings, <c>--help</c>, <c>--version</c>).
/// </summary>
public static class FrontCommandLine
{
    public const string Name = "agents-front";

    /// <summary>Null: start with <paramref name="settings"/>. A number: exit with it.</summary>
    public static int? Handle(string[] args, out string[] settings, TextWriter? output = null, TextWriter? error = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        error ??= Console.Error;
        var translated = new List<string>();
        var backends = 0;
        settings = [];
        for (var i = 0; i < args.Length; i++)
        {
            var (option, value) = Split(args[i]);
            if (option is not ("--listen" or "--backend"))
            {
                translated.Add(args[i]);
                continue;
            }
            if (value is null)
            {
                if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    error.WriteLine($"{Name}: {option} needs a URL (--help shows the usage)");
                    return ServiceCommandLine.BadUsage;
                }
                value = args[++i];
            }
            translated.Add(option == "--listen" ? $"--{FrontOptions.Section}:Listen={value}" : $"--{FrontOptions.Section}:Backends:{backends++}={value}");
        }
        settings = [.. translated];
        return ServiceCommandLine.Handle(Name, Description, settings, output, error);
    }

    private static (string Option, string? Value) Split(string arg)
    {
        var equals = arg.IndexOf('=', StringComparison.Ordinal);
        return equals < 0 ? (arg, null) : (arg[..equals], arg[(equals + 1)..]);
    }

    private const string Description = """
        the round-robin front of several API instances (one address for a cluster)

          --listen URL    where the front listens (Front:Listen, default http://0.0.0.0:8080)
          --backend URL   an API instance (Front:Backends:N); repeat it for each one

        Each instance is probed on Front:HealthPath (/health/ready) every Front:HealthIntervalSeconds;
        one that fails it, or refuses a request, gets no request until it answers again.
        """;
}
