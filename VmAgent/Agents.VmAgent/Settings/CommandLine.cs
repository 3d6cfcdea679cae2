using System.Globalization;

namespace Agents.VmAgent.Settings;

public enum AgentAction { Run, Check, ListRecipes, Version, Help }

/// <summary>What the command line asked for: an action, a config file, and settings that override the file.</summary>
public sealed record CommandLine(AgentAction Action, string? ConfigFile, AgentSettings Overrides, bool AsWindowsService)
{
    public const string Usage = """
        usage: agents-vm-agent [options]
          --config FILE              JSON settings file (default: /etc/agents-vm-agent/agent.json, or
                                     %ProgramData%\AgentsVmAgent\agent.json, when it exists; env AGENT_CONFIG)
          --router ADDRESS           router address, IPv4, IPv6 or name; repeat or comma-separate
                                     (default: DHCP server from the leases, gateway, data-server)
          --port N                   router port (default 8443)
          --data-dir DIR             key, certificate, journal (default /var/lib/agents-vm-agent)
          --ca-file FILE             the cloud's CA certificate, PEM (default DATA-DIR/ca.crt once enrolled,
                                     else /etc/agents-vm-agent/ca.pem)
          --policy FILE              local policy (default /etc/agents-vm-agent/policy.json; missing: password,
                                     SSH key and rekey only)
          --recipe-dir DIR           local recipes (default /etc/agents-vm-agent/recipes)
          --health-checks DIR        a system VM's advanced health checks, one executable each
                                     (default /etc/agents-vm-agent/health-checks)
          --privileged | --unprivileged   override the policy's "privileged"
          --sandbox-root DIR         demo/tests: act on a pretend VM under DIR
          --token TOKEN              one-time enrollment token (prefer env AGENTS_ENROLLMENT_TOKEN or user data)
          --token-file FILE          file holding only the one-time enrollment token (read when enrolling)
          --user-data-file FILE      file holding agent_enrollment_token=... (default cloud-init's user-data.txt)
          --tls-server-name NAME     SNI sent to the router (default cloudstack-router)
          --heartbeat-seconds N      (default 30)
          --connect-timeout-seconds N (default 10)
          --max-backoff-seconds N    reconnect backoff cap (default 60)
          --max-frame-bytes N        (default 1048576)
          --log-level LEVEL          debug | information | warning | error (default information)
          --no-trim-idle-memory      keep what the start and the last commands touched resident
                                     (default: given back to the kernel when idle, Linux)
          --check                    validate the settings, print them (without the token) and exit
          --list-recipes             print the built-in recipes with their sha256 (for policy.json) and exit
          --service                  Windows: run under the service control manager
          --version | --help
        """;

    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var settings = new AgentSettings();
        var action = AgentAction.Run;
        string? config = null;
        var service = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string? inline = null;
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            if (arg.StartsWith("--", StringComparison.Ordinal) && eq > 0)
            {
                inline = arg[(eq + 1)..];
                arg = arg[..eq];
            }
            string Value()
            {
                if (inline is not null) return inline;
                if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                    throw new SettingsException(arg.TrimStart('-'), "needs a value");
                return args[++i];
            }
            switch (arg)
            {
                case "--version" or "-v": action = AgentAction.Version; break;
                case "--help" or "-h" or "-?": action = AgentAction.Help; break;
                case "--check": action = AgentAction.Check; break;
                case "--list-recipes": action = AgentAction.ListRecipes; break;
                case "--service": service = true; break;
                case "--config": config = Value(); break;
                case "--router" or "--routers":
                    (settings.Routers ??= []).AddRange(Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                    break;
                case "--port": settings.Port = Integer("port", Value()); break;
                case "--data-dir": settings.DataDirectory = Value(); break;
                case "--ca-file": settings.CaFile = Value(); break;
                case "--policy": settings.PolicyFile = Value(); break;
                case "--recipe-dir": settings.RecipeDirectory = Value(); break;
                case "--health-checks": settings.HealthChecksDirectory = Value(); break;
                case "--privileged": settings.Privileged = inline is null || Boolean("privileged", inline); break;
                case "--unprivileged": settings.Privileged = false; break;
                case "--sandbox-root": settings.SandboxRoot = Value(); break;
                case "--token": settings.EnrollmentToken = Value(); break;
                case "--token-file": settings.EnrollmentTokenFile = Value(); break;
                case "--user-data-file": settings.UserDataFile = Value(); break;
                case "--tls-server-name": settings.TlsServerName = Value(); break;
                case "--heartbeat-seconds": settings.HeartbeatSeconds = Integer("heartbeatSeconds", Value()); break;
                case "--connect-timeout-seconds": settings.ConnectTimeoutSeconds = Integer("connectTimeoutSeconds", Value()); break;
                case "--max-backoff-seconds": settings.MaxBackoffSeconds = Integer("maxBackoffSeconds", Value()); break;
                case "--max-frame-bytes": settings.MaxFrameBytes = Integer("maxFrameBytes", Value()); break;
                case "--log-level": settings.LogLevel = Value(); break;
                case "--trim-idle-memory": settings.TrimIdleMemory = inline is null || Boolean("trimIdleMemory", inline); break;
                case "--no-trim-idle-memory": settings.TrimIdleMemory = false; break;
                default: throw new SettingsException($"unknown option '{args[i]}' (see --help)");
            }
        }
        return new CommandLine(action, config, settings, service);
    }

    private static int Integer(string setting, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new SettingsException(setting, $"'{value}' is not a whole number");

    private static bool Boolean(string setting, string value) =>
        bool.TryParse(value, out var b) ? b : throw new SettingsException(setting, $"'{value}' is not true or false");
}
