namespace Agents.Contracts.Ca;

public sealed record CaProviders
{
    public required IReadOnlyList<CaProviderInfo> Providers { get; init; }
}
