namespace Agents.Contracts.Commands;

/// <summary>
/// Run a named recipe. The agent runs it only when its local policy allows the name (and the
/// sha256 when given). <see cref="Script"/> (base64) delivers the recipe with the command.
/// Parameters reach the script as environment variables, never on a command line.
/// </summary>
public sealed record RunRecipe
{
    public const int DefaultTimeoutSeconds = 120;

    public required string Name { get; init; }
    public string? Sha256 { get; init; }
    public string? Script { get; init; }
    // set, not init: the source-generated reader hands every init-only property to the object initializer, so a field left out would lose this default
    public IReadOnlyDictionary<string, string> Parameters { get; set; } = new Dictionary<string, string>();
    public int TimeoutSeconds { get; set; } = DefaultTimeoutSeconds;
}
