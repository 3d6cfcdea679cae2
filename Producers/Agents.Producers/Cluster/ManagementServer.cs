using System.Reflection;
using Microsoft.Extensions.Options;

namespace Agents.Producers.Cluster;

/// <summary>This API instance as a management server: its msid (the owner of the jobs it runs), its run id (one per start) and what <c>mshost</c> shows of it.</summary>
public sealed class ManagementServer(IOptions<ProducersOptions> options)
{
    public string Msid { get; } = options.Value.Cluster.ManagementServerId
        ?? $"{Environment.MachineName}-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4))}";

    public string RunId { get; } = Guid.NewGuid().ToString();

    public string Name { get; } = $"{Environment.MachineName} {options.Value.ListenUrl}";

    public string Version { get; } =
        typeof(ManagementServer).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";
}
