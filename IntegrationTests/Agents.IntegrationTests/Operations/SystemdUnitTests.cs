using Agents.Testing;

namespace Agents.IntegrationTests.Operations;

/// <summary>The systemd units of packaging/systemd (the four services) and of the Linux agent, as systemd itself reads them.</summary>
public sealed class SystemdUnitTests : IDisposable
{
    private const string Analyze = "/usr/bin/systemd-analyze";
    private readonly TempDirectory _temp = new();

    public static TheoryData<string, string> Services => new()
    {
        { "agents-api.service", "Agents.Producers.dll" },
        { "agents-ca.service", "Agents.CaAuthority.dll" },
        { "agents-consumers.service", "Agents.Consumers.dll" },
        { "agents-bridge.service", "Agents.RouterBridge.dll" },
    };

    [Theory]
    [MemberData(nameof(Services))]
    public async Task a_service_unit_passes_systemd_analyze_verify_and_is_hardened(string unit, string dll)
    {
        var path = Path.Combine(RepositoryPaths.Root, "packaging", "systemd", unit);
        var text = await File.ReadAllTextAsync(path);

        await VerifyAsync(path);

        var name = unit.Replace(".service", "", StringComparison.Ordinal);
        Assert.Contains($"\nUser={name}\n", text, StringComparison.Ordinal);
        Assert.Contains("\nType=notify\n", text, StringComparison.Ordinal);
        Assert.Contains("\nWatchdogSec=30\n", text, StringComparison.Ordinal);
        Assert.Contains("\nNoNewPrivileges=yes\n", text, StringComparison.Ordinal);
        Assert.Contains("\nProtectSystem=strict\n", text, StringComparison.Ordinal);
        Assert.Contains($"\nStateDirectory={name}\n", text, StringComparison.Ordinal);
        Assert.Contains($"/{dll}\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_agent_unit_passes_systemd_analyze_verify_and_is_hardened()
    {
        var source = Path.Combine(RepositoryPaths.Root, "VmAgent", "packaging", "linux", "agents-vm-agent.service");
        var text = await File.ReadAllTextAsync(source);
        Assert.Contains("\nNoNewPrivileges=yes\n", text, StringComparison.Ordinal);
        Assert.Contains("\nProtectSystem=true\n", text, StringComparison.Ordinal);
        // verify checks that the program exists: the one install.sh puts in /usr/local/sbin is the built agent here
        var agent = Path.Combine(Path.GetDirectoryName(ServiceProcess.DllOf("VmAgent/Agents.VmAgent", "agents-vm-agent"))!, "agents-vm-agent");
        var copy = Path.Combine(_temp.Path, "agents-vm-agent.service");
        await File.WriteAllTextAsync(copy, text.Replace("/usr/local/sbin/agents-vm-agent", agent, StringComparison.Ordinal));

        await VerifyAsync(copy);
    }

    /// <summary>Exit 0 and not a word: systemd-analyze exits 0 on an unknown key or a bad value, printing a warning.</summary>
    private static async Task VerifyAsync(string unit)
    {
        Assert.True(File.Exists(Analyze), $"{Analyze} is missing: apt-get install systemd (the units are checked with systemd's own parser)");
        var result = await ProcessRunner.RunAsync(Analyze, ["verify", unit], timeout: TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode == 0 && result.Output.Trim().Length == 0,
            $"systemd-analyze verify {Path.GetFileName(unit)} (exit {result.ExitCode}):\n{result.Output}");
    }

    public void Dispose() => _temp.Dispose();
}
