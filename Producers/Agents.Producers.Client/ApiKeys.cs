namespace Agents.Producers.Client;

/// <summary>A caller's CloudStack API key pair: requests carry <c>apiKey</c> and are signed with the secret key.</summary>
public sealed record ApiKeys(string ApiKey, string SecretKey)
{
    /// <summary>Never prints the secret key (records print every member by default).</summary>
    public override string ToString() => $"ApiKeys {{ ApiKey = {ApiKey} }}";
}
