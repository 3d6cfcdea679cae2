namespace Agents.Producers.Api;

/// <summary>Every registered <see cref="IApiCommand"/> by name (case-insensitive).</summary>
public sealed class CommandCatalog(IEnumerable<IApiCommand> commands)
{
    private readonly Dictionary<string, IApiCommand> _byName = commands.ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);

    public IEnumerable<IApiCommand> All => _byName.Values;

    public IApiCommand? Find(string name) => _byName.GetValueOrDefault(name);
}
