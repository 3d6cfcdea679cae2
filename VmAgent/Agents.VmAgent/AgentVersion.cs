using System.Reflection;

namespace Agents.VmAgent;

public static class AgentVersion
{
    /// <summary>The informational version (1.0.0+commit when built from git), without reflection over metadata the trimmer removes.</summary>
    public static string Text { get; } =
        typeof(AgentVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(AgentVersion).Assembly.GetName().Version?.ToString()
        ?? "0.0.0";
}
