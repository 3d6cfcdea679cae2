using System.Text.Json;
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
        var policy = new
        {
            allowedCommands = new[] { "ResetVmPassword", "ResetVmSshKey", "RunRecipe", "RekeyCertificate" },
            recipes = new[] { new { name = AllowedRecipe, sha256 = recipe.Sha256, privileged = false } },
            privileged = true,
        };
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "policy.json");
        File.WriteAllText(path, JsonSerializer.Serialize(policy, new JsonSerializerOptions { WriteIndented = true }));
        return path;
    }
}
