using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Agents.Testing;

namespace Agents.IntegrationTests.Deployment;

/// <summary>
/// docker-compose.yml as the tests read it (parsed by PyYAML, as compose_check.py parses it): each
/// service's environment, command and the program its Dockerfile builds, here as the Release build.
/// </summary>
public sealed partial class ComposeFile
{
    private readonly JsonObject _services;

    private ComposeFile(JsonObject services) => _services = services;

    public static async Task<ComposeFile> LoadAsync()
    {
        const string toJson = "import sys, json, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))";
        var read = await ProcessRunner.RunAsync("/usr/bin/python3", ["-c", toJson, Path.Combine(RepositoryPaths.Root, "docker-compose.yml")]);
        Assert.True(read.ExitCode == 0, $"docker-compose.yml does not parse: {read.Output}");
        return new ComposeFile(JsonNode.Parse(read.Stdout)!["services"]!.AsObject());
    }

    public IEnumerable<string> Services => _services.Select(s => s.Key);

    /// <summary>The services built from a Dockerfile of this repository (the others are pinned images).</summary>
    public IEnumerable<string> BuiltServices => _services.Where(s => s.Value?["build"] is not null).Select(s => s.Key);

    public IReadOnlyDictionary<string, string> Environment(string service) =>
        (_services[service]?["environment"]?.AsObject() ?? []).ToDictionary(e => e.Key, e => e.Value?.ToString() ?? "");

    public IReadOnlyList<string> Command(string service) => Strings(_services[service]?["command"]);

    /// <summary>The folders the service's volumes are mounted on (named volumes only: the ones a fresh checkout starts empty).</summary>
    public IEnumerable<string> VolumeMounts(string service) =>
        Strings(_services[service]?["volumes"]).Where(v => !v.StartsWith('.')).Select(v => v.Split(':')[1]);

    public IReadOnlyList<string> Entrypoint(string service) => Strings(_services[service]?["entrypoint"]);

    /// <summary>The project the service's Dockerfile publishes (<c>Producers/agentctl</c>).</summary>
    public string Project(string service)
    {
        var dockerfile = Path.Combine(RepositoryPaths.Root, (string)_services[service]!["build"]!["dockerfile"]!);
        var publish = PublishedProject().Match(File.ReadAllText(dockerfile));
        Assert.True(publish.Success, $"{dockerfile} publishes no project");
        return Path.GetDirectoryName(publish.Groups[1].Value)!;
    }

    /// <summary>The Release build of the service's program (its assembly name from the project file when it has one).</summary>
    public string Program(string service)
    {
        var project = Project(service);
        var folder = Path.Combine(RepositoryPaths.Root, project);
        Assert.True(Directory.Exists(folder), $"the compose service {service} builds {project}, which does not exist");
        var csproj = Directory.GetFiles(folder, "*.csproj").Single();
        var assembly = AssemblyName().Match(File.ReadAllText(csproj)) is { Success: true } named ? named.Groups[1].Value : Path.GetFileNameWithoutExtension(csproj);
        return ServiceProcess.DllOf(project, assembly);
    }

    /// <summary>Compose escapes a literal <c>$</c> as <c>$$</c>: the text the container's shell gets.</summary>
    public static string Unescape(string value) => value.Replace("$$", "$", StringComparison.Ordinal);

    private static string[] Strings(JsonNode? node) => node switch
    {
        JsonArray array => array.Select(a => a!.ToString()).ToArray(),
        JsonValue value => [value.ToString()],
        _ => [],
    };

    [GeneratedRegex(@"dotnet publish (\S+\.csproj)")]
    private static partial Regex PublishedProject();

    [GeneratedRegex(@"<AssemblyName>([^<]+)</AssemblyName>")]
    private static partial Regex AssemblyName();
}
