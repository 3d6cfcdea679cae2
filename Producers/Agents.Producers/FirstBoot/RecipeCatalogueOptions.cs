using System.ComponentModel.DataAnnotations;

namespace Agents.Producers.FirstBoot;

/// <summary>The catalogue of approved recipes (section <c>Recipes</c>): what listAgentRecipes lists and a VM may run at first boot.</summary>
public sealed class RecipeCatalogueOptions : IValidatableObject
{
    public const string Section = "Recipes";

    public List<CatalogueRecipe> Catalogue { get; set; } = [];

    public CatalogueRecipe? Find(string name) => Catalogue.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.Ordinal));

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < Catalogue.Count; i++)
        {
            var recipe = Catalogue[i];
            if (recipe.Name.Length is 0 or > 64 || !recipe.Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
                yield return new ValidationResult($"Recipes:Catalogue:{i}:Name '{recipe.Name}' must be 1-64 letters, digits, '-', '_', '.'", [nameof(Catalogue)]);
            if (recipe.Sha256 is { } sha && (sha.Length != 64 || !sha.All(char.IsAsciiHexDigit)))
                yield return new ValidationResult($"Recipes:Catalogue:{i}:Sha256 must be 64 hex digits", [nameof(Catalogue)]);
            if (recipe.TimeoutSeconds is < 1 or > 86_400)
                yield return new ValidationResult($"Recipes:Catalogue:{i}:TimeoutSeconds must be 1..86400", [nameof(Catalogue)]);
        }
        foreach (var twice in Catalogue.GroupBy(r => r.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
            yield return new ValidationResult($"Recipes:Catalogue names {twice.Key} twice", [nameof(Catalogue)]);
    }
}
