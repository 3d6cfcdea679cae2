using System.Text.Json;

namespace Agents.Testing;

/// <summary>The development passwords of broker-config's users (broker-config/dev-credentials.json).</summary>
public static class DevCredentials
{
    /// <summary>The router broker-config ships a bridge user (<c>bridge-{id}</c>, reading agents.router.{id}) and a queue for.</summary>
    public const string RouterId = "f3a1c2d4-5b6e-4f70-8a9b-0c1d2e3f4a5b";

    private static readonly Lazy<Dictionary<string, string>> Passwords = new(() =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(Path.Combine(RepositoryPaths.BrokerConfig, "dev-credentials.json")))
        ?? []);

    public static string PasswordOf(string user) =>
        Passwords.Value.TryGetValue(user, out var password) ? password : throw new KeyNotFoundException($"no dev password for broker user '{user}'");
}
