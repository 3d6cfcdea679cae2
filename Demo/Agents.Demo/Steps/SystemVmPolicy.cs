using System.Text.Json;
using Agents.Contracts.Commands;
using Agents.VmAgent.Core.Policy;
using Agents.VmAgent.Core.Recipes;

namespace Agents.Demo.Steps;

/// <summary>
/// The local policy of a system VM's agent (SSVM, CPVM): privileged, the built-in package upgrade
/// (patchSystemVm), its health checks and the rekey of its certificate; no password or SSH key.
/// </summary>
public static class SystemVmPolicy
{
    public static AgentPolicy Policy { get; } = new(
        [CommandTypes.RunRecipe, CommandTypes.RunHealthChecks, CommandTypes.RekeyCertificate],
        [new RecipePolicy("package-upgrade", (RecipeCatalog.BuiltIn("package-upgrade") ?? throw new InvalidOperationException("built-in recipe package-upgrade missing")).Sha256, Privileged: true)],
        Privileged: true);

    public static string Write(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "policy.json");
        File.WriteAllText(path, JsonSerializer.Serialize(Policy, PolicyJson.Default.AgentPolicy));
        return path;
    }
}
