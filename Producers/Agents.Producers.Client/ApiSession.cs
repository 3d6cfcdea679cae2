namespace Agents.Producers.Client;

/// <summary>What CloudStack's <c>login</c> answered: the session key every later request carries, and who signed in.</summary>
public sealed record ApiSession(string SessionKey, string? UserName, string? Account, string? DomainId, int? TimeoutSeconds)
{
    /// <summary>Never prints the session key: it is as good as a password until the session ends.</summary>
    public override string ToString() => $"ApiSession {{ UserName = {UserName}, Account = {Account} }}";
}
