using Agents.Testing;

namespace Agents.IntegrationTests.Operations;

/// <summary>What an operator sees when asking a service or the agent how to run it, or when mistyping.</summary>
public sealed class CommandLineTests
{
    public static TheoryData<string, string, string> Programs => new()
    {
        { "agents-api", "Producers/Agents.Producers", "Agents.Producers" },
        { "agents-ca", "CaAuthority/Agents.CaAuthority", "Agents.CaAuthority" },
        { "agents-consumers", "Consumers/Agents.Consumers", "Agents.Consumers" },
        { "agents-bridge", "RouterBridge/Agents.RouterBridge", "Agents.RouterBridge" },
        { "agents-vm-agent", "VmAgent/Agents.VmAgent", "agents-vm-agent" },
        { "agents-front", "Front/Agents.Front", "Agents.Front" },
    };

    [Theory]
    [MemberData(nameof(Programs))]
    public async Task help_prints_the_usage_on_stdout_and_exits_zero(string name, string project, string assembly)
    {
        var result = await RunAsync(project, assembly, "--help");

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains(name, result.Stdout, StringComparison.Ordinal);
        Assert.Contains("--version", result.Stdout, StringComparison.Ordinal);
        Assert.Equal("", result.Stderr.Trim());
    }

    [Theory]
    [MemberData(nameof(Programs))]
    public async Task version_prints_one_version_line_and_exits_zero(string name, string project, string assembly)
    {
        var result = await RunAsync(project, assembly, "--version");

        Assert.True(result.ExitCode == 0, result.Output);
        var line = Assert.Single(result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Matches(@"\d+\.\d+", line);
        _ = name;
    }

    [Theory]
    [MemberData(nameof(Programs))]
    public async Task a_bad_option_is_refused_with_one_line_on_stderr_and_a_nonzero_exit(string name, string project, string assembly)
    {
        var result = await RunAsync(project, assembly, "--no-such-option");

        Assert.NotEqual(0, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("--no-such-option", line, StringComparison.Ordinal);
        Assert.StartsWith(name + ":", line, StringComparison.Ordinal);
        Assert.Equal("", result.Stdout.Trim());
    }

    [Theory]
    [InlineData("agents-front: --backend needs a URL", "--listen", "http://127.0.0.1:1", "--backend")]
    [InlineData("front: invalid settings: Front:Backends: name at least one API instance", "--listen", "http://127.0.0.1:1")]
    [InlineData("front: invalid settings: Front:Backends: 'ftp://api1' is not an http:// or https:// URL", "--backend", "ftp://api1")]
    [InlineData("front: invalid settings: Front:Listen: 'nowhere' is not an http:// or https:// URL", "--listen=nowhere", "--backend=http://127.0.0.1:1")]
    public async Task the_front_refuses_a_missing_or_bad_url_with_one_line_naming_it(string expected, params string[] arguments)
    {
        var result = await ProcessRunner.RunAsync("dotnet", [ServiceProcess.DllOf("Front/Agents.Front"), .. arguments], timeout: TimeSpan.FromSeconds(60));

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith(expected, line, StringComparison.Ordinal);
    }

    private static Task<ProcessResult> RunAsync(string project, string assembly, string argument) =>
        ProcessRunner.RunAsync("dotnet", [ServiceProcess.DllOf(project, assembly), argument], timeout: TimeSpan.FromSeconds(60));
}
