namespace Agents.Contracts.Ca;

public sealed record ProvisionRequested
{
    public required string Holder { get; init; }
    public required Guid JobId { get; init; }
}
