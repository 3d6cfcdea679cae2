using Agents.VmAgent.Core.Client;
using Agents.VmAgent.Core.Handlers;
using Agents.VmAgent.Core.Health;
using Agents.VmAgent.Core.Identity;
using Agents.VmAgent.Core.Journal;
using Agents.VmAgent.Core.Logging;
using Agents.VmAgent.Core.Os;
using Agents.VmAgent.Core.Policy;
using Agents.VmAgent.Core.Recipes;

namespace Agents.VmAgent.Core;

/// <summary>
/// Builds an agent from its parts. A custom agent passes its own handler list (for example only
/// <see cref="ResetPasswordHandler"/>); the policy still has the last word on what runs.
/// Data directory layout: agent.key, agent.crt, ca.crt, journal/, work/.
/// </summary>
public static class AgentFactory
{
    public static IGuestOs GuestOsFor(string? sandboxRoot)
    {
        if (sandboxRoot is not null) return new SandboxGuestOs(sandboxRoot);
        if (OperatingSystem.IsWindows()) return new WindowsGuestOs();
        return new LinuxGuestOs();
    }

    /// <summary>
    /// All built-in handlers: password, SSH key, recipes, rekey, and the health checks a system VM's
    /// agent runs (its policy allows RunHealthChecks; a user VM's default policy does not).
    /// </summary>
    public static AgentClient CreateStandard(AgentClientOptions options, AgentPolicy policy, IGuestOs os, TrustAnchor trust, IAgentLog log,
        string? recipeDirectory = null, string? healthChecksDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(os);
        return Create(options, policy, trust, log, (keys, renewer) =>
        [
            new ResetPasswordHandler(os, keys),
            new ResetSshKeyHandler(os),
            new RunRecipeHandler(new RecipeCatalog(recipeDirectory), new RecipeRunner(), os.RecipeEnvironment),
            new RekeyHandler(renewer),
            new AgentHealthChecksHandler(healthChecksDirectory, () => (keys as AgentIdentityStore)?.Load()),
        ]);
    }

    /// <summary>An agent with exactly the handlers <paramref name="handlers"/> makes (from the agent's keys and its renewer).</summary>
    public static AgentClient Create(AgentClientOptions options, AgentPolicy policy, TrustAnchor trust, IAgentLog log,
        Func<IAgentKeys, ICertificateRenewer, IEnumerable<ICommandHandler>> handlers)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(handlers);
        Directory.CreateDirectory(options.DataDirectory);
        var identity = new AgentIdentityStore(options.DataDirectory, trust);
        var journal = new CommandJournal(Path.Combine(options.DataDirectory, "journal"), JournalOptions.FromEnvironment(), log);
        var work = Path.Combine(options.DataDirectory, "work");
        Directory.CreateDirectory(work);
        return new AgentClient(options, identity, log, renewer => new CommandExecutor(handlers(identity, renewer), journal, policy, log, work));
    }
}
