namespace Agents.Testing;

/// <summary>Finds the repository's folders from a test's output directory.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string BrokerConfig => Path.Combine(Root, "broker-config");

    private static string FindRoot()
    {
        var fromEnv = Environment.GetEnvironmentVariable("AGENTS_REPO_ROOT");
        if (!string.IsNullOrEmpty(fromEnv)) return fromEnv;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Events.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"Events.sln not found above {AppContext.BaseDirectory}; set AGENTS_REPO_ROOT");
    }
}
