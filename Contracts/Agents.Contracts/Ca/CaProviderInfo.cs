namespace Agents.Contracts.Ca;

public sealed record CaProviderInfo
{
    public required string Name { get; init; }
    public required string Description { get; init; }
}
