namespace Agents.Contracts.Ca;

public sealed record GetCaCertificate
{
    public string? Provider { get; init; }
}
