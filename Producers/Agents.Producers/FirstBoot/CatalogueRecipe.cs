namespace Agents.Producers.FirstBoot;

/// <summary>An approved recipe an operator offers (a monitoring agent, a backup client): the agents' policies must allow it too.</summary>
public sealed class CatalogueRecipe
{
    public string Name { get; set; } = "";
    public string Description { get; set; } = "";
    /// <summary>The recipe's SHA-256 as the agents' policies list it; absent, the agent's own copy of the named recipe runs.</summary>
    public string? Sha256 { get; set; }
    public int TimeoutSeconds { get; set; } = 120;
}
