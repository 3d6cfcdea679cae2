namespace Agents.Contracts.Ca;

public sealed record CreateEnrollmentToken
{
    public required string Holder { get; init; }
    /// <summary>The router the holder sits behind: the CA sends renewal requests there.</summary>
    public string? RouterId { get; init; }
    // set, not init: the source-generated reader hands every init-only property to the object initializer, so a field left out would lose this default
    public int TtlSeconds { get; set; } = 3600;
}
