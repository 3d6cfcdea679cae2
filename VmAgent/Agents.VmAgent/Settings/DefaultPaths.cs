namespace Agents.VmAgent.Settings;

/// <summary>Where the packaged agent looks when nothing says otherwise (the tarball and the Windows script install there).</summary>
public static class DefaultPaths
{
    private static readonly string WindowsRoot = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.CommonApplicationData), "AgentsVmAgent");

    public static string ConfigDirectory => OperatingSystem.IsWindows() ? WindowsRoot : "/etc/agents-vm-agent";
    public static string ConfigFile => Path.Combine(ConfigDirectory, "agent.json");
    public static string CaFile => Path.Combine(ConfigDirectory, "ca.pem");
    public static string PolicyFile => Path.Combine(ConfigDirectory, "policy.json");
    public static string RecipeDirectory => Path.Combine(ConfigDirectory, "recipes");
    /// <summary>A system VM's advanced health checks: every executable here is one.</summary>
    public static string HealthChecksDirectory => Path.Combine(ConfigDirectory, "health-checks");
    public static string DataDirectory => OperatingSystem.IsWindows() ? Path.Combine(WindowsRoot, "data") : "/var/lib/agents-vm-agent";

    /// <summary>cloud-init's copy of the instance user data (CloudStack serves it from the router as /latest/user-data).</summary>
    public static string UserDataFile => OperatingSystem.IsWindows()
        ? Path.Combine(WindowsRoot, "user-data.txt")
        : "/var/lib/cloud/instance/user-data.txt";
}
