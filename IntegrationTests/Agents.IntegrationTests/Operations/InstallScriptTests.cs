using Agents.Testing;

namespace Agents.IntegrationTests.Operations;

/// <summary>
/// packaging/install-services.sh, run for real into a destination folder (as a package build
/// would): the built services as its --from programs, the units and secret files where systemd
/// and the units expect them, an operator's edited secrets kept on a second run, then uninstalled.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class InstallScriptTests : IDisposable
{
    private static readonly string Script = Path.Combine(RepositoryPaths.Root, "packaging", "install-services.sh");
    private readonly TempDirectory _temp = new();

    public static TheoryData<string, string, string> Services => new()
    {
        { "api", "Producers/Agents.Producers", "Agents.Producers.dll" },
        { "ca", "CaAuthority/Agents.CaAuthority", "Agents.CaAuthority.dll" },
        { "consumers", "Consumers/Agents.Consumers", "Agents.Consumers.dll" },
        { "bridge", "RouterBridge/Agents.RouterBridge", "Agents.RouterBridge.dll" },
    };

    [Fact]
    public async Task it_installs_the_four_services_into_a_destination_keeps_edited_secrets_and_uninstalls_leaving_state()
    {
        var from = Directory.CreateDirectory(Path.Combine(_temp.Path, "published")).FullName;
        foreach (var (service, project, dll) in Services.Select(r => ((string)r[0], (string)r[1], (string)r[2])))
        {
            // the built output stands for `dotnet publish`
            var built = Path.GetDirectoryName(ServiceProcess.DllOf(project))!;
            var copy = await ProcessRunner.RunAsync("cp", ["-R", built, Path.Combine(from, service)], timeout: TimeSpan.FromMinutes(2));
            Assert.True(copy.ExitCode == 0, copy.Output);
            Assert.True(File.Exists(Path.Combine(from, service, dll)), $"{dll} not built");
        }
        var root = Path.Combine(_temp.Path, "root");

        var first = await RunAsync("--from", from, "--destdir", root);
        Assert.True(first.ExitCode == 0, first.Output);
        foreach (var (service, _, dll) in Services.Select(r => ((string)r[0], (string)r[1], (string)r[2])))
        {
            Assert.True(File.Exists(Path.Combine(root, "opt", "agents-framework", service, dll)), $"{service}: {dll} not installed");
            var unit = Path.Combine(root, "etc", "systemd", "system", $"agents-{service}.service");
            Assert.Equal(await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "packaging", "systemd", $"agents-{service}.service")), await File.ReadAllTextAsync(unit));
            var env = Path.Combine(root, "etc", "agents-framework", $"{service}.env");
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(env));
            Assert.Contains("RabbitMq__Uri=", await File.ReadAllTextAsync(env), StringComparison.Ordinal);
            Assert.Contains($"installed agents-{service}", first.Output, StringComparison.Ordinal);
        }

        // the operator filled in the API's secrets: a second run (an upgrade) replaces programs, never secrets
        var apiEnv = Path.Combine(root, "etc", "agents-framework", "api.env");
        await File.WriteAllTextAsync(apiEnv, "Producers__MasterKey=the-operators-own-key-0123456789abcdef\n");
        var second = await RunAsync("--from", from, "--destdir", root, "--services", "api");
        Assert.True(second.ExitCode == 0, second.Output);
        Assert.Equal("Producers__MasterKey=the-operators-own-key-0123456789abcdef\n", await File.ReadAllTextAsync(apiEnv));

        var removed = await RunAsync("--destdir", root, "--uninstall");
        Assert.True(removed.ExitCode == 0, removed.Output);
        Assert.False(Directory.Exists(Path.Combine(root, "opt", "agents-framework", "api")), "the API's program is still there");
        Assert.False(File.Exists(Path.Combine(root, "etc", "systemd", "system", "agents-ca.service")), "the CA's unit is still there");
        Assert.True(File.Exists(apiEnv), "uninstall removed the operator's secrets");
    }

    [Fact]
    public async Task it_answers_help_and_refuses_a_bad_option_or_service_with_exit_2_and_one_line()
    {
        var help = await RunAsync("--help");
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("--destdir DIR", help.Output, StringComparison.Ordinal);

        var bad = await RunAsync("--frobnicate");
        Assert.Equal(2, bad.ExitCode);
        Assert.Equal("install-services.sh: unknown option '--frobnicate' (see --help)", bad.Output.Trim());

        var unknown = await RunAsync("--services", "api,mail", "--destdir", _temp.Path);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("unknown service 'mail'", unknown.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_temp.Path, "opt")), "a refused run installed something");
    }

    private static Task<ProcessResult> RunAsync(params string[] args) =>
        ProcessRunner.RunAsync("/bin/sh", [Script, .. args], timeout: TimeSpan.FromMinutes(3));

    public void Dispose() => _temp.Dispose();
}
