using System.Globalization;
using Agents.Testing;
using Agents.VmAgent.Tests.Support;

namespace Agents.VmAgent.Tests;

/// <summary>The tarball's install.sh (VmAgent/packaging/linux) run into a scratch root, then the installed agent run for real.</summary>
public sealed class PackagingTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly TestPki _pki = new();

    public void Dispose()
    {
        _pki.Dispose();
        _temp.Dispose();
    }

    private static string Packaging() => Path.Combine(RepositoryPaths.Root, "VmAgent", "packaging");

    /// <summary>What build-packages.sh puts in the tarball, with a launcher standing in for the single-file binary.</summary>
    private string StageTarball()
    {
        var stage = _temp.Sub("pkg");
        var packaging = Packaging();
        foreach (var file in new[] { "linux/install.sh", "linux/agents-vm-agent.service", "config/agent.json.sample", "config/policy.json.sample", "README.txt" })
            File.Copy(Path.Combine(packaging, file), Path.Combine(stage, Path.GetFileName(file)));
        var (program, arguments) = AgentProgram.Command();
        var launcher = Path.Combine(stage, "agents-vm-agent");
        File.WriteAllText(launcher, $"#!/bin/sh\nexec '{program}' {string.Join(' ', arguments.Select(a => $"'{a}'"))} \"$@\"\n");
        File.SetUnixFileMode(launcher, (UnixFileMode)0b111_101_101);
        return stage;
    }

    private static async Task<(int Code, string Output)> ShAsync(string script, IEnumerable<string> arguments, string root)
    {
        var sh = await ProcessRunner.RunAsync("sh", [script, .. arguments], new Dictionary<string, string> { ["AGENT_INSTALL_ROOT"] = root });
        return (sh.ExitCode, sh.Output);
    }

    [Fact]
    public async Task an_agent_installed_by_install_sh_enrolls_with_the_token_it_was_installed_with()
    {
        await using var bridge = new TestBridge(_pki);
        var root = Path.Combine(_temp.Path, "root");
        var token = bridge.Relay.TokenFor("vm-i");

        var (code, output) = await ShAsync(Path.Combine(StageTarball(), "install.sh"),
            ["--router", "127.0.0.1", "--port", bridge.Port.ToString(CultureInfo.InvariantCulture), "--token", token, "--ca", _pki.WriteRootPem(_temp.Path)], root);

        Assert.True(code == 0, output);
        var etc = Path.Combine(root, "etc", "agents-vm-agent");
        Assert.Equal((UnixFileMode)0b110_000_000, File.GetUnixFileMode(Path.Combine(etc, "agent.env")));
        Assert.Equal((UnixFileMode)0b111_000_000, File.GetUnixFileMode(Path.Combine(root, "var", "lib", "agents-vm-agent")));
        Assert.True(File.Exists(Path.Combine(root, "etc", "systemd", "system", "agents-vm-agent.service")));
        Assert.DoesNotContain(token, await File.ReadAllTextAsync(Path.Combine(etc, "agent.json")), StringComparison.Ordinal);

        // what systemd does: EnvironmentFile=agent.env, then the installed binary with the installed config
        var environment = (await File.ReadAllLinesAsync(Path.Combine(etc, "agent.env"))).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        await using var agent = AgentProgram.Start(["--config", Path.Combine(etc, "agent.json"), "--sandbox-root", Path.Combine(_temp.Path, "sandbox")], environment);
        await Eventually.TrueAsync(() => bridge.Registry.IsConnected("vm-i"), "the installed agent to enroll and connect", 30);
    }

    [Fact]
    public async Task install_sh_refuses_an_unknown_option_and_installs_nothing()
    {
        var root = Path.Combine(_temp.Path, "root");

        var (code, output) = await ShAsync(Path.Combine(StageTarball(), "install.sh"), ["--routr", "10.0.0.1"], root);

        Assert.NotEqual(0, code);
        Assert.Contains("unknown option --routr", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(root));
    }
}
