namespace Agents.Contracts.Ca;

public sealed record ListCaProviders
{
    public string? Name { get; init; }
}
