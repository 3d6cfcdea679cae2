using System.Text.Json;

namespace Agents.Testing;

/// <summary>The development passwords of broker-config's users (broker-config/dev-credentials.json).</summary>
public static class DevCredentials
{
    private static readonly Lazy<Dictionary<string, string>> Passwords = new(() =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(Path.Combine(RepositoryPaths.BrokerConfig, "dev-credentials.json")))
        ?? []);

    public static string PasswordOf(string user) =>
        Passwords.Value.TryGetValue(user, out var password) ? password : throw new KeyNotFoundException($"no dev password for broker user '{user}'");
}
