using System.Security.Cryptography;

namespace Agents.VmAgent.Core.Recipes;

/// <summary>A recipe's exact bytes and where they came from; the policy judges the sha256 of these bytes.</summary>
public sealed record RecipeSource(string Name, string Extension, byte[] Content, string Origin)
{
    public string Sha256 => Convert.ToHexStringLower(SHA256.HashData(Content));
}

/// <summary>
/// Finds a recipe: delivered with the command, else in the recipe directory, else built in.
/// Names are plain file names (no paths), so a command cannot point at an arbitrary script.
/// </summary>
public sealed class RecipeCatalog(string? recipeDirectory)
{
    private static readonly string[] Extensions = [".sh", ".ps1", ".yml"];

    public static bool IsValidName(string name) =>
        name.Length is > 0 and <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') && !name.StartsWith('.');

    public RecipeSource? Find(string name)
    {
        if (!IsValidName(name)) return null;
        if (recipeDirectory is not null)
        {
            foreach (var ext in Extensions)
            {
                var path = Path.Combine(recipeDirectory, name + ext);
                if (File.Exists(path)) return new RecipeSource(name, ext, File.ReadAllBytes(path), path);
            }
        }
        return BuiltIn(name);
    }

    public static RecipeSource? BuiltIn(string name)
    {
        using var stream = typeof(RecipeCatalog).Assembly.GetManifestResourceStream($"recipe:{name}.sh");
        if (stream is null) return null;
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return new RecipeSource(name, ".sh", buffer.ToArray(), "built-in");
    }

    /// <summary>The built-in recipes with their hashes, for an operator writing a policy file.</summary>
    public static IEnumerable<RecipeSource> BuiltIns() =>
        typeof(RecipeCatalog).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("recipe:", StringComparison.Ordinal))
            .Select(n => BuiltIn(Path.GetFileNameWithoutExtension(n["recipe:".Length..]))!)
            .OrderBy(r => r.Name, StringComparer.Ordinal);
}
