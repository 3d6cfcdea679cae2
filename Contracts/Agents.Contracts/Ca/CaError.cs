namespace Agents.Contracts.Ca;

/// <summary>The CA refused or failed a request. <see cref="ErrorCode"/> follows CloudStack's API codes (431 bad parameter, 530 internal).</summary>
public sealed record CaError
{
    public required int ErrorCode { get; init; }
    public required string ErrorText { get; init; }
}
