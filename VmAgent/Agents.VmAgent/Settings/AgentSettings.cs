using System.Text.Json.Serialization;

namespace Agents.VmAgent.Settings;

/// <summary>
/// The agent's settings as written in its JSON file or given as flags; null means "not set here".
/// Flags override the file; <see cref="AgentConfiguration"/> applies the defaults and validates.
/// Every setting is listed in docs/operations.md.
/// </summary>
public sealed class AgentSettings
{
    /// <summary>Router addresses (IPv4, IPv6, <c>[::1]:8443</c>, names), tried in order. Empty: DHCP server, gateway, <c>data-server</c>.</summary>
    public List<string>? Routers { get; set; }
    public int? Port { get; set; }
    public string? DataDirectory { get; set; }
    /// <summary>The cloud's CA certificate (PEM): the only root the agent trusts for its router.</summary>
    public string? CaFile { get; set; }
    public string? PolicyFile { get; set; }
    public string? RecipeDirectory { get; set; }
    /// <summary>A system VM's advanced health checks (RunHealthChecks): every executable file here is one.</summary>
    public string? HealthChecksDirectory { get; set; }
    /// <summary>Overrides the policy's <c>privileged</c>: false refuses whatever needs root.</summary>
    public bool? Privileged { get; set; }
    /// <summary>Demo and tests: act on a pretend VM under this directory instead of the real OS.</summary>
    public string? SandboxRoot { get; set; }
    public string? EnrollmentToken { get; set; }
    /// <summary>A file holding only the one-time token (docker-compose's init step writes one); read when the agent enrolls.</summary>
    public string? EnrollmentTokenFile { get; set; }
    public string? UserDataFile { get; set; }
    public string? TlsServerName { get; set; }
    public int? HeartbeatSeconds { get; set; }
    public int? ConnectTimeoutSeconds { get; set; }
    public int? MaxBackoffSeconds { get; set; }
    public int? MaxFrameBytes { get; set; }
    public string? LogLevel { get; set; }
    /// <summary>While connected and idle, give back the memory only the start and the last commands used (Linux; default true).</summary>
    public bool? TrimIdleMemory { get; set; }

    /// <summary>Values set in <paramref name="over"/> replace ours.</summary>
    public AgentSettings OverriddenBy(AgentSettings over) => new()
    {
        Routers = over.Routers ?? Routers,
        Port = over.Port ?? Port,
        DataDirectory = over.DataDirectory ?? DataDirectory,
        CaFile = over.CaFile ?? CaFile,
        PolicyFile = over.PolicyFile ?? PolicyFile,
        RecipeDirectory = over.RecipeDirectory ?? RecipeDirectory,
        HealthChecksDirectory = over.HealthChecksDirectory ?? HealthChecksDirectory,
        Privileged = over.Privileged ?? Privileged,
        SandboxRoot = over.SandboxRoot ?? SandboxRoot,
        EnrollmentToken = over.EnrollmentToken ?? EnrollmentToken,
        EnrollmentTokenFile = over.EnrollmentTokenFile ?? EnrollmentTokenFile,
        UserDataFile = over.UserDataFile ?? UserDataFile,
        TlsServerName = over.TlsServerName ?? TlsServerName,
        HeartbeatSeconds = over.HeartbeatSeconds ?? HeartbeatSeconds,
        ConnectTimeoutSeconds = over.ConnectTimeoutSeconds ?? ConnectTimeoutSeconds,
        MaxBackoffSeconds = over.MaxBackoffSeconds ?? MaxBackoffSeconds,
        MaxFrameBytes = over.MaxFrameBytes ?? MaxFrameBytes,
        LogLevel = over.LogLevel ?? LogLevel,
        TrimIdleMemory = over.TrimIdleMemory ?? TrimIdleMemory,
    };
}

/// <summary>Source-generated (trimming-safe); an unknown key in the file is an error, not silently ignored.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AgentSettings))]
internal sealed partial class SettingsJson : JsonSerializerContext;
