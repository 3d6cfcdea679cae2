using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Agents.VmAgent.Core.Client;
using Agents.VmAgent.Core.Identity;
using Agents.VmAgent.Core.Logging;
using Agents.VmAgent.Core.Policy;

namespace Agents.VmAgent.Settings;

/// <summary>
/// The settings with defaults applied and checked. Every check names the setting it refuses, so a
/// bad file stops the agent at start with one clear line instead of a stack trace later.
/// </summary>
public sealed record AgentConfiguration(
    AgentClientOptions Client,
    AgentPolicy Policy,
    TrustAnchor Trust,
    string CaFile,
    string? PolicyFile,
    string? RecipeDirectory,
    string? SandboxRoot,
    string? ConfigFile,
    AgentLogLevel LogLevel,
    string? HealthChecksDirectory = null)
{
    public const string ConfigEnvironmentVariable = "AGENT_CONFIG";

    public static AgentConfiguration Load(CommandLine commandLine)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        var explicitConfig = commandLine.ConfigFile ?? Environment.GetEnvironmentVariable(ConfigEnvironmentVariable);
        var configFile = explicitConfig ?? DefaultPaths.ConfigFile;
        AgentSettings file = new();
        if (explicitConfig is not null && !File.Exists(explicitConfig))
            throw new SettingsException("config", $"file {explicitConfig} does not exist");
        if (File.Exists(configFile)) file = Read(configFile);
        else configFile = null;
        return Resolve(file.OverriddenBy(commandLine.Overrides), configFile);
    }

    public static AgentSettings Read(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize(stream, SettingsJson.Default.AgentSettings)
                ?? throw new SettingsException("config", $"{path} holds JSON null");
        }
        catch (JsonException e)
        {
            throw JsonProblem(path, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SettingsException("config", $"{path} cannot be read: {e.Message}");
        }
    }

    private static SettingsException JsonProblem(string path, JsonException e)
    {
        if (e.Message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            var key = e.Message.Split('\'') is { Length: > 2 } parts ? parts[1] : "?";
            return new SettingsException(key, $"unknown key in {path} (see docs/operations.md for the settings)");
        }
        if (e.Path is { Length: > 2 } at && at.StartsWith("$.", StringComparison.Ordinal))
        {
            return new SettingsException(at[2..], e.Message.Contains("could not be converted", StringComparison.Ordinal)
                ? $"wrong type of value in {path} (line {e.LineNumber + 1})"
                : $"{path} is not valid JSON at line {e.LineNumber + 1}");
        }
        return new SettingsException("config", $"{path} is not valid JSON: {e.Message}");
    }

    public static AgentConfiguration Resolve(AgentSettings s, string? configFile)
    {
        ArgumentNullException.ThrowIfNull(s);
        var port = s.Port ?? AgentClientOptions.DefaultPort;
        if (port is < 1 or > 65535) throw new SettingsException("port", $"{port} is not a TCP port (1-65535)");
        var routers = s.Routers ?? [];
        foreach (var router in routers) CheckRouter(router);

        var dataDirectory = Full("dataDirectory", s.DataDirectory ?? DefaultPaths.DataDirectory);
        try { Directory.CreateDirectory(dataDirectory); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SettingsException("dataDirectory", $"{dataDirectory} cannot be created: {e.Message}");
        }

        var (caFile, trust) = LoadTrust(s.CaFile, dataDirectory);
        var (policyFile, policy) = LoadPolicy(s.PolicyFile);
        if (s.Privileged is { } privileged) policy = policy with { Privileged = privileged };

        var recipeDirectory = s.RecipeDirectory ?? DefaultPaths.RecipeDirectory;
        if (s.RecipeDirectory is not null && !Directory.Exists(s.RecipeDirectory))
            throw new SettingsException("recipeDirectory", $"directory {s.RecipeDirectory} does not exist");

        var healthChecksDirectory = s.HealthChecksDirectory ?? DefaultPaths.HealthChecksDirectory;
        if (s.HealthChecksDirectory is not null && !Directory.Exists(s.HealthChecksDirectory))
            throw new SettingsException("healthChecksDirectory", $"directory {s.HealthChecksDirectory} does not exist");

        string? sandbox = null;
        if (s.SandboxRoot is not null)
        {
            sandbox = Full("sandboxRoot", s.SandboxRoot);
            try { Directory.CreateDirectory(sandbox); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new SettingsException("sandboxRoot", $"{sandbox} cannot be created: {e.Message}");
            }
        }
        if (s.UserDataFile is not null && !File.Exists(s.UserDataFile))
            throw new SettingsException("userDataFile", $"file {s.UserDataFile} does not exist");
        if (s.EnrollmentTokenFile is not null && !File.Exists(s.EnrollmentTokenFile))
            throw new SettingsException("enrollmentTokenFile", $"file {s.EnrollmentTokenFile} does not exist");
        if (s.EnrollmentToken is { } token && (token.Length is 0 or > 512 || token.Any(char.IsWhiteSpace)))
            throw new SettingsException("enrollmentToken", "must be 1-512 characters without spaces");

        var client = new AgentClientOptions
        {
            RouterAddresses = routers,
            Port = port,
            DataDirectory = dataDirectory,
            TlsServerName = NonEmpty("tlsServerName", s.TlsServerName ?? "cloudstack-router"),
            EnrollmentToken = s.EnrollmentToken,
            EnrollmentTokenFile = s.EnrollmentTokenFile is null ? null : Path.GetFullPath(s.EnrollmentTokenFile),
            UserDataFile = s.UserDataFile ?? DefaultPaths.UserDataFile,
            HeartbeatInterval = Seconds("heartbeatSeconds", s.HeartbeatSeconds ?? 30, 1, 3600),
            ConnectTimeout = Seconds("connectTimeoutSeconds", s.ConnectTimeoutSeconds ?? 10, 1, 300),
            MaxBackoff = Seconds("maxBackoffSeconds", s.MaxBackoffSeconds ?? 60, 1, 3600),
            MaxFrameBytes = Range("maxFrameBytes", s.MaxFrameBytes ?? 1024 * 1024, 64 * 1024, 64 * 1024 * 1024),
            TrimIdleMemory = s.TrimIdleMemory ?? true,
            AgentVersion = AgentVersion.Text,
        };
        return new AgentConfiguration(client, policy, trust, caFile, policyFile, recipeDirectory, sandbox, configFile, ParseLevel(s.LogLevel), healthChecksDirectory);
    }

    private static void CheckRouter(string router)
    {
        if (IPEndPoint.TryParse(router, out _)) return;
        var host = router;
        var colon = router.LastIndexOf(':');
        if (colon > 0 && !router.Contains(']', StringComparison.Ordinal) && router.Count(c => c == ':') == 1)
        {
            if (!int.TryParse(router[(colon + 1)..], out var p) || p is < 1 or > 65535)
                throw new SettingsException("routers", $"'{router}' has no valid port after ':'");
            host = router[..colon];
        }
        if (Uri.CheckHostName(host) is UriHostNameType.Unknown)
            throw new SettingsException("routers", $"'{router}' is neither an IP address nor a host name");
    }

    private static (string, TrustAnchor) LoadTrust(string? configured, string dataDirectory)
    {
        var enrolled = Path.Combine(dataDirectory, "ca.crt");
        var path = configured ?? (File.Exists(DefaultPaths.CaFile) ? DefaultPaths.CaFile : enrolled);
        if (!File.Exists(path))
        {
            throw new SettingsException("caFile", configured is null
                ? $"no CA certificate: neither {DefaultPaths.CaFile} nor {enrolled} exists (the agent trusts only the cloud's CA; install it or pass --ca-file)"
                : $"file {configured} does not exist");
        }
        try
        {
            var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(path));
            return (path, new TrustAnchor(certificate));
        }
        catch (CryptographicException e)
        {
            throw new SettingsException("caFile", $"{path} is not a PEM certificate: {e.Message}");
        }
    }

    private static (string?, AgentPolicy) LoadPolicy(string? configured)
    {
        var path = configured ?? DefaultPaths.PolicyFile;
        if (configured is not null && !File.Exists(configured))
            throw new SettingsException("policyFile", $"file {configured} does not exist");
        if (!File.Exists(path)) return (null, AgentPolicy.Default);
        try
        {
            return (path, AgentPolicy.Load(path));
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw new SettingsException("policyFile", e.Message);
        }
    }

    private static string Full(string setting, string path)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new SettingsException(setting, "must not be empty");
        try { return Path.GetFullPath(path); }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new SettingsException(setting, $"'{path}' is not a valid path: {e.Message}");
        }
    }

    private static string NonEmpty(string setting, string value) =>
        string.IsNullOrWhiteSpace(value) ? throw new SettingsException(setting, "must not be empty") : value;

    private static TimeSpan Seconds(string setting, int value, int min, int max) => TimeSpan.FromSeconds(Range(setting, value, min, max));

    private static int Range(string setting, int value, int min, int max) =>
        value < min || value > max ? throw new SettingsException(setting, $"{value} is outside {min}-{max}") : value;

    private static AgentLogLevel ParseLevel(string? level) => level?.ToLowerInvariant() switch
    {
        null or "information" or "info" => AgentLogLevel.Information,
        "debug" => AgentLogLevel.Debug,
        "warning" or "warn" => AgentLogLevel.Warning,
        "error" => AgentLogLevel.Error,
        _ => throw new SettingsException("logLevel", $"'{level}' is not one of debug, information, warning, error"),
    };
}
