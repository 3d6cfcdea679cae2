using System.Text.RegularExpressions;
using Agents.Testing;

namespace Agents.IntegrationTests.Deployment;

/// <summary>
/// Every option and setting docker-compose.yml gives a service of ours is one that service accepts:
/// environment names against the settings its build binds (or the variables its source reads),
/// command lines through the programs themselves. No Docker engine runs here; the programs do.
/// </summary>
public sealed partial class ComposeSettingsTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task every_environment_name_in_the_compose_file_is_a_setting_or_variable_its_service_reads()
    {
        var compose = await ComposeFile.LoadAsync();
        var unknown = new List<string>();
        var checkedNames = 0;
        foreach (var service in compose.BuiltServices)
        {
            var script = string.Join('\n', compose.Entrypoint(service).Concat(compose.Command(service)));
            var names = compose.Environment(service).Keys.ToList();
            if (names.Count == 0) continue;
            var program = compose.Program(service);
            using var settings = names.Any(n => n.Contains("__", StringComparison.Ordinal)) ? new ServiceSettings(program) : null;
            foreach (var name in names)
            {
                checkedNames++;
                var known = settings is not null && name.Contains("__", StringComparison.Ordinal)
                    ? settings.Knows(name.Replace("__", ":", StringComparison.Ordinal))
                    : script.Contains("$$" + name, StringComparison.Ordinal) || SourceReads(program, name);
                if (!known) unknown.Add($"{service}: {name}");
            }
            // and the other way round: a variable the service's script reads is one compose sets
            foreach (Match used in ScriptVariable().Matches(script))
                if (!compose.Environment(service).ContainsKey(used.Groups[1].Value)) unknown.Add($"{service}: its script reads ${used.Groups[1].Value}, which compose does not set");
        }
        Assert.True(unknown.Count == 0, "names in docker-compose.yml that their service does not read:\n" + string.Join('\n', unknown));
        Assert.True(checkedNames > 60, $"only {checkedNames} names checked");
    }

    [Fact]
    public async Task the_settings_reader_refuses_what_no_service_binds()
    {
        var compose = await ComposeFile.LoadAsync();
        using var bridge = new ServiceSettings(compose.Program("bridge"));
        using var api = new ServiceSettings(compose.Program("api"));
        using var ca = new ServiceSettings(compose.Program("ca"));

        Assert.True(bridge.Knows("Bridge:EnrollmentTokenFile"));
        Assert.True(bridge.Knows("Bridge:HealthChecks:ScriptsDirectory"));
        Assert.True(api.Knows("Producers:Bootstrap:AdminApiKey"));
        Assert.True(api.Knows("Recipes:Catalogue:0:Name"));
        Assert.True(ca.Knows("ca.framework.background.task.delay"));
        Assert.True(ca.Knows("Storage:ConnectionString"));
        Assert.False(bridge.Knows("Bridge:EnrollmentTokenFil"));
        Assert.False(bridge.Knows("Bridge:HealthChecks:ScriptsDirectory:Extra"));
        Assert.False(bridge.Knows("Producers:MasterKey"));
        Assert.False(api.Knows("Recipes:Catalogue:first:Name"));
        Assert.False(ca.Knows("Ca:InstanceNames"));
    }

    [Fact]
    public async Task the_agent_accepts_its_compose_command_line_and_refuses_one_more_unknown_option()
    {
        var compose = await ComposeFile.LoadAsync();
        var local = new ComposeOnThisMachine(compose, _temp.Path);
        var arguments = local.Arguments(compose.Command("agent"));
        // what init leaves in the volume: the CA certificate and the token
        Directory.CreateDirectory(local.Path("/enrollment"));
        using var pki = new TestPki();
        await File.WriteAllTextAsync(local.Path("/enrollment/ca.crt"), pki.RootPem);
        await File.WriteAllTextAsync(local.Path("/enrollment/agent.token"), "compose-test-token\n");
        var agent = compose.Program("agent");

        var check = await ProcessRunner.RunAsync(ComposeOnThisMachine.Dotnet, [agent, .. arguments, "--check"]);
        var refused = await ProcessRunner.RunAsync(ComposeOnThisMachine.Dotnet, [agent, .. arguments, "--no-such-option", "--check"]);

        Assert.True(check.ExitCode == 0, $"agent {string.Join(' ', arguments)}: {check.Output}");
        Assert.Contains("settings OK", check.Stdout, StringComparison.Ordinal);
        Assert.Contains($"enrollment token from file {local.Path("/enrollment/agent.token")}", check.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("compose-test-token", check.Output, StringComparison.Ordinal);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("unknown option '--no-such-option'", refused.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_front_starts_with_its_compose_command_line()
    {
        var compose = await ComposeFile.LoadAsync();
        var local = new ComposeOnThisMachine(compose, _temp.Path);
        var arguments = local.Arguments(compose.Command("front"));
        var listen = new Uri(arguments[arguments.IndexOf("--listen") + 1]);

        await using var front = ServiceProcess.StartDotnet("front", compose.Program("front"), arguments);
        await front.WaitForPortAsync("127.0.0.1", listen.Port);
        await using var refused = ServiceProcess.StartDotnet("front", compose.Program("front"), [.. arguments, "--no-such-option"]);

        Assert.Equal(2, await refused.WaitForExitAsync());
        Assert.False(front.HasExited, front.Output);
    }

    /// <summary>A literal of the variable's name in the source of the program or of a library of ours it ships with.</summary>
    private static bool SourceReads(string program, string name)
    {
        var folder = Path.GetDirectoryName(program)!;
        var projects = Directory.GetFiles(folder, "Agents.*.dll").Append(program)
            .Select(dll => Path.GetFileNameWithoutExtension(dll))
            .SelectMany(assembly => ProjectFolders.Value.Where(p => p.Assembly == assembly).Select(p => p.Folder));
        return projects.Any(p => Directory.EnumerateFiles(p, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal))
            .Any(f => File.ReadAllText(f).Contains($"\"{name}\"", StringComparison.Ordinal)));
    }

    private static readonly Lazy<List<(string Assembly, string Folder)>> ProjectFolders = new(() =>
        Directory.EnumerateFiles(RepositoryPaths.Root, "*.csproj", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/bin/", StringComparison.Ordinal) && !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/.", StringComparison.Ordinal))
            .Select(f => (AssemblyNameOf(f), Path.GetDirectoryName(f)!)).ToList());

    private static string AssemblyNameOf(string csproj) =>
        AssemblyName().Match(File.ReadAllText(csproj)) is { Success: true } m ? m.Groups[1].Value : Path.GetFileNameWithoutExtension(csproj);

    [GeneratedRegex(@"\$\$\{?([A-Z_][A-Z0-9_]*)")]
    private static partial Regex ScriptVariable();

    [GeneratedRegex(@"<AssemblyName>([^<]+)</AssemblyName>")]
    private static partial Regex AssemblyName();

    public void Dispose() => _temp.Dispose();
}
