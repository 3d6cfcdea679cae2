namespace Agents.Producers.Accounts;

/// <summary>A user's API key and secret key, as registerUserKeys and getUserKeys show them.</summary>
public sealed record ApiKeyPair(string ApiKey, string SecretKey);
