using System.Text.Json;
using Agents.Contracts.Commands;
using Agents.VmAgent.Core.Policy;
using Agents.VmAgent.Core.Recipes;

namespace Agents.Demo.Steps;

/// <summary>The local policy the demo's agents run with: the classic commands and one allowed recipe.</summary>
public static class DemoPolicy
{
    public const string AllowedRecipe = "monitoring-agent-sample";
    public const string ForbiddenRecipe = "file-backup-sample";

    /// <summary>A built-in recipe's SHA-256, as policies and the recipe catalogue name it.</summary>
    public static string Sha256(string recipe) =>
        (RecipeCatalog.BuiltIn(recipe) ?? throw new InvalidOperationException($"built-in recipe {recipe} missing")).Sha256;

    public static string Write(string directory)
    {
        var recipe = RecipeCatalog.BuiltIn(AllowedRecipe) ?? throw new InvalidOperationException($"built-in recipe {AllowedRecipe} missing");
        var policy = new AgentPolicy(
            [CommandTypes.ResetVmPassword, CommandTypes.ResetVmSshKey, CommandTypes.RunRecipe, CommandTypes.RekeyCertificate],
            [new RecipePolicy(AllowedRecipe, recipe.Sha256)],
            Privileged: true);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "policy.json");
        // the agent's own policy format, written as the agent reads it
        File.WriteAllText(path, JsonSerializer.Serialize(policy, PolicyJson.Default.AgentPolicy));
        return path;
    }
}
