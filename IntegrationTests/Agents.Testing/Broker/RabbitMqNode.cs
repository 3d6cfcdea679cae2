using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Agents.Testing;

/// <summary>
/// A private RabbitMQ node from the Debian package (rabbitmq-server), with its own ports, data
/// folder and epmd, loaded with broker-config: the role Testcontainers plays where Docker runs.
/// </summary>
public sealed class RabbitMqNode(RabbitMqNodeOptions options) : IAsyncDisposable
{
    public const string ServerScript = "/usr/lib/rabbitmq/bin/rabbitmq-server";
    public const string CtlScript = "/usr/lib/rabbitmq/bin/rabbitmqctl";

    /// <summary>Temp folders of private nodes start with this; <c>./run</c> sets a per-run prefix so it reaps only its own nodes.</summary>
    public static string TempPrefix => System.Environment.GetEnvironmentVariable("AGENTS_RMQ_PREFIX") is { Length: > 0 } prefix ? prefix : "agents-rmq-";

    private readonly string _dir = options.DataDirectory ?? Path.Combine(Path.GetTempPath(), TempPrefix + Guid.NewGuid().ToString("N")[..10]);
    private Process? _process;
    private bool _stopped;

    public RabbitMqNodeOptions Options => options;
    public string NodeName => options.NodeName;
    public string DataDirectory => _dir;
    private string LogDirectory => Path.Combine(_dir, "log");

    /// <summary>amqp:// URI for one of broker-config's users (admin by default).</summary>
    public string AmqpUri(string user = "admin", string? password = null) =>
        $"amqp://{Uri.EscapeDataString(user)}:{Uri.EscapeDataString(password ?? DevCredentials.PasswordOf(user))}@127.0.0.1:{options.AmqpPort}/";

    public async Task StartAsync()
    {
        if (!File.Exists(ServerScript))
            throw new InvalidOperationException($"RabbitMQ is not installed ({ServerScript} missing): run `apt-get install rabbitmq-server` or ./run test, which installs it.");
        Directory.CreateDirectory(LogDirectory);
        Directory.CreateDirectory(HomeDirectory);
        await File.WriteAllTextAsync(Path.Combine(_dir, "rabbitmq.conf"), BuildConfig());
        File.Copy(Path.Combine(options.BrokerConfigDirectory, "enabled_plugins"), Path.Combine(_dir, "enabled_plugins"), overwrite: true);

        var info = new ProcessStartInfo("/usr/bin/setsid")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(ServerScript);
        foreach (var (k, v) in Environment()) info.Environment[k] = v;
        _process = Process.Start(info) ?? throw new InvalidOperationException("could not start rabbitmq-server");
        var console = new StringBuilder();
        _process.OutputDataReceived += (_, e) => { lock (console) console.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { lock (console) console.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var wait = await CtlRawAsync(["wait", PidFile, "--timeout", ((int)options.StartTimeout.TotalSeconds).ToString(CultureInfo.InvariantCulture)],
            options.StartTimeout + TimeSpan.FromSeconds(15));
        if (wait.ExitCode != 0)
        {
            string consoleText;
            lock (console) consoleText = console.ToString();
            var logTail = LogTail();
            await StopAsync();
            throw new InvalidOperationException(
                $"RabbitMQ node {NodeName} did not start (rabbitmqctl wait: {wait.Output.Trim()}).\n--- console ---\n{Tail(consoleText)}\n--- log ---\n{logTail}");
        }
    }

    /// <summary>rabbitmqctl against this node; throws with its output when it fails.</summary>
    public async Task<string> CtlAsync(params string[] args)
    {
        // rabbitmqctl boots an Erlang VM per call: at a load average of 40+ one call took over a minute
        var result = await CtlRawAsync(args, TimeSpan.FromMinutes(3));
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', args)} failed ({result.ExitCode}): {result.Output}");
        return result.Stdout;
    }

    public Task<ProcessResult> CtlRawAsync(IEnumerable<string> args, TimeSpan timeout) =>
        ProcessRunner.RunAsync(CtlScript, ["-n", NodeName, .. args], Environment(), timeout);

    public async Task StopAsync()
    {
        if (_stopped) return;
        _stopped = true;
        try
        {
            if (_process is { HasExited: false })
                await CtlRawAsync(["stop", PidFile], TimeSpan.FromMinutes(2));
        }
        catch (TimeoutException)
        {
            // a clean stop that does not answer (seen at load 40+) ends as a kill below: the test's result stands
        }
        finally
        {
            if (_process is { HasExited: false })
            {
                // the group leader is setsid's child; killing the tree ends beam and its helpers
                _process.Kill(entireProcessTree: true);
            }
            _process?.Dispose();
            await KillEpmdAsync();
            if (options.DataDirectory is null)
            {
                try { Directory.Delete(_dir, recursive: true); }
                catch (IOException) { /* a log file still held open: the temp folder is harmless */ }
            }
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    public string LogTail()
    {
        if (!Directory.Exists(LogDirectory)) return "(no log folder)";
        var text = new StringBuilder();
        foreach (var file in Directory.GetFiles(LogDirectory, "*.log"))
            text.AppendLine($"== {Path.GetFileName(file)}").AppendLine(Tail(File.ReadAllText(file)));
        return text.ToString();
    }

    private string HomeDirectory => options.HomeDirectory ?? Path.Combine(_dir, "home");
    private string PidFile => Path.Combine(_dir, "rabbitmq.pid");

    private Dictionary<string, string> Environment() => new()
    {
        ["HOME"] = HomeDirectory,
        ["RABBITMQ_NODENAME"] = NodeName,
        ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
        ["RABBITMQ_NODE_PORT"] = options.AmqpPort.ToString(CultureInfo.InvariantCulture),
        ["RABBITMQ_DIST_PORT"] = options.DistPort.ToString(CultureInfo.InvariantCulture),
        ["RABBITMQ_MNESIA_BASE"] = Path.Combine(_dir, "mnesia"),
        ["RABBITMQ_LOG_BASE"] = LogDirectory,
        ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(_dir, "enabled_plugins"),
        ["RABBITMQ_CONFIG_FILE"] = Path.Combine(_dir, "rabbitmq"),
        ["RABBITMQ_ADVANCED_CONFIG_FILE"] = Path.Combine(_dir, "advanced.config"),
        ["RABBITMQ_PID_FILE"] = PidFile,
        ["ERL_EPMD_PORT"] = options.EpmdPort.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>broker-config/rabbitmq.conf with the listeners, TLS and paths of this node.</summary>
    private string BuildConfig()
    {
        string[] replaced = ["listeners.", "ssl_options.", "management.tcp.", "definitions.local.path"];
        var lines = File.ReadAllLines(Path.Combine(options.BrokerConfigDirectory, "rabbitmq.conf"))
            .Where(line => !replaced.Any(prefix => line.TrimStart().StartsWith(prefix, StringComparison.Ordinal)))
            .ToList();
        lines.Add($"listeners.tcp.1 = 127.0.0.1:{options.AmqpPort}");
        lines.Add("listeners.ssl = none");
        lines.Add($"definitions.local.path = {Path.Combine(options.BrokerConfigDirectory, "definitions.json")}");
        lines.Add("management.tcp.ip = 127.0.0.1");
        lines.Add($"management.tcp.port = {options.ManagementPort}");
        lines.AddRange(options.ExtraConfig);
        return string.Join('\n', lines) + "\n";
    }

    private async Task KillEpmdAsync()
    {
        foreach (var epmd in new[] { "/usr/bin/epmd", "/usr/lib/erlang/bin/epmd" })
        {
            if (!File.Exists(epmd)) continue;
            try { await ProcessRunner.RunAsync(epmd, ["-kill"], Environment(), TimeSpan.FromSeconds(10)); }
            catch (TimeoutException) { /* epmd already gone */ }
            return;
        }
    }

    private static string Tail(string text, int lines = 40) =>
        string.Join('\n', text.Split('\n').TakeLast(lines));
}
