using Agents.VmAgent.Core;
using Agents.VmAgent.Core.Logging;
using Agents.VmAgent.Settings;

namespace Agents.VmAgent.Hosting;

/// <summary>Builds the standard agent from the configuration and serves until <paramref name="stop"/> fires.</summary>
public static class AgentRunner
{
    public static async Task<int> RunAsync(AgentConfiguration config, IAgentLog log, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(log);
        var os = AgentFactory.GuestOsFor(config.SandboxRoot);
        var client = AgentFactory.CreateStandard(config.Client, config.Policy, os, config.Trust, log, config.RecipeDirectory, config.HealthChecksDirectory);
        log.Info("{Agent}", Describe(config, os.Name));
        try
        {
            await client.RunAsync(stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        log.Info("agent stopped");
        return 0;
    }

    /// <summary>One line an operator can read; names where the token comes from, never the token.</summary>
    public static string Describe(AgentConfiguration config, string osName)
    {
        ArgumentNullException.ThrowIfNull(config);
        var c = config.Client;
        var routers = c.RouterAddresses.Count > 0 ? string.Join(", ", c.RouterAddresses) : "discovered (DHCP server, gateway, data-server)";
        var token = !string.IsNullOrWhiteSpace(c.EnrollmentToken) ? "config"
            : c.EnrollmentTokenFile is not null ? $"file {c.EnrollmentTokenFile}"
            : !string.IsNullOrWhiteSpace(Core.Client.EnrollmentToken.FromEnvironment()) ? "environment"
            : c.UserDataFile is not null && File.Exists(c.UserDataFile) ? $"user data {c.UserDataFile}"
            : "none";
        return $"agent {AgentVersion.Text} starting: routers {routers}, port {c.Port}, data {c.DataDirectory}, ca {config.CaFile}, " +
               $"os {osName}{(config.SandboxRoot is null ? "" : $" at {config.SandboxRoot}")}, policy {config.PolicyFile ?? "built-in default"} " +
               $"(commands {string.Join('/', config.Policy.AllowedCommands)}, {config.Policy.Recipes?.Count ?? 0} recipes, privileged {config.Policy.Privileged}), " +
               $"enrollment token from {token}";
    }
}
