using System.Text.Json;
using Agents.Contracts.Commands;

namespace Agents.VmAgent.Core.Policy;

/// <summary>A recipe the VM's owner allows: by name and by the sha256 of its exact content.</summary>
public sealed record RecipePolicy(string Name, string Sha256, bool Privileged = false);

/// <summary>
/// The local policy, read from a file in the VM: what the management side may ask for. Nothing
/// sent over the wire can widen it. <see cref="Privileged"/> false refuses anything that needs root.
/// </summary>
public sealed record AgentPolicy(
    IReadOnlyList<string> AllowedCommands,
    IReadOnlyList<RecipePolicy>? Recipes = null,
    bool Privileged = false)
{
    /// <summary>When no policy file exists: CloudStack's classic guest features (password, SSH key, rekey), no recipes.</summary>
    public static AgentPolicy Default { get; } = new(
        [CommandTypes.ResetVmPassword, CommandTypes.ResetVmSshKey, CommandTypes.RekeyCertificate], [], Privileged: true);

    public bool Allows(string commandType) => AllowedCommands.Contains(commandType, StringComparer.Ordinal);

    public RecipePolicy? FindRecipe(string name) =>
        Recipes?.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.Ordinal));

    public static AgentPolicy Load(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            var policy = JsonSerializer.Deserialize(stream, PolicyJson.Default.AgentPolicy)
                ?? throw new InvalidDataException($"policy file {path} is empty");
            if (policy.AllowedCommands is null) throw new InvalidDataException($"policy file {path}: 'allowedCommands' is required");
            foreach (var recipe in policy.Recipes ?? [])
            {
                if (string.IsNullOrWhiteSpace(recipe.Name) || recipe.Sha256 is not { Length: 64 })
                    throw new InvalidDataException($"policy file {path}: every recipe needs a 'name' and a 64-hex-digit 'sha256'");
            }
            return policy;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"policy file {path} is not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>Loads the file when it exists, else <see cref="Default"/>.</summary>
    public static AgentPolicy LoadOrDefault(string? path) =>
        path is not null && File.Exists(path) ? Load(path) : Default;
}
