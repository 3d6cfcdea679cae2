using System.Text.Json;
using Agents.Producers.Client;

namespace Agents.Cli.Config;

/// <summary>Where the API is and the caller's keys: flags, then AGENTS_API_URL / AGENTS_API_KEY / AGENTS_SECRET_KEY, then .run/stack.json.</summary>
public sealed record ApiProfile(Uri Url, string ApiKey, string SecretKey, string Source)
{
    public const string UrlVariable = "AGENTS_API_URL";
    public const string ApiKeyVariable = "AGENTS_API_KEY";
    public const string SecretKeyVariable = "AGENTS_SECRET_KEY";
    public const string StackFile = ".run/stack.json";

    public static ApiProfile Resolve(string? url, string? apiKey, string? secretKey, string? stackFile, Func<string, string?> environment, string workingDirectory)
    {
        ArgumentNullException.ThrowIfNull(environment);
        url ??= environment(UrlVariable);
        apiKey ??= environment(ApiKeyVariable);
        secretKey ??= environment(SecretKeyVariable);
        var source = "flags/environment";
        var stack = stackFile ?? FindStackFile(workingDirectory);
        if ((url is null || apiKey is null || secretKey is null) && stack is not null)
        {
            var fromStack = ReadStack(stack);
            url ??= fromStack.Url;
            apiKey ??= fromStack.ApiKey;
            secretKey ??= fromStack.SecretKey;
            source = stack;
        }
        if (string.IsNullOrWhiteSpace(url)) throw new CliException($"no API URL: pass --url, set {UrlVariable}, or run ./run up (writes {StackFile})");
        if (string.IsNullOrWhiteSpace(apiKey)) throw new CliException($"no API key: pass --api-key or set {ApiKeyVariable}");
        if (string.IsNullOrWhiteSpace(secretKey)) throw new CliException($"no secret key: pass --secret-key or set {SecretKeyVariable}");
        return new ApiProfile(Endpoint(url), apiKey, secretKey, source);
    }

    /// <summary>"http://host:8080" and "http://host:8080/client/api" both mean the API endpoint.</summary>
    public static Uri Endpoint(string url)
    {
        try { return CloudStackClient.EndpointOf(url); }
        catch (ArgumentException e) { throw new CliException(e.Message); }
    }

    private static string? FindStackFile(string directory)
    {
        for (var dir = new DirectoryInfo(directory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, StackFile);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    private static (string? Url, string? ApiKey, string? SecretKey) ReadStack(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            string? Get(string name) => document.RootElement.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            return (Get("apiUrl"), Get("apiKey"), Get("secretKey"));
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{path} cannot be read: {e.Message}");
        }
    }
}
