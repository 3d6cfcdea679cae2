using Agents.Contracts;
using Agents.Contracts.Commands;
using Agents.Testing;
using Agents.VmAgent.Core.Handlers;
using Agents.VmAgent.Core.Health;
using Agents.VmAgent.Core.Journal;
using Agents.VmAgent.Core.Policy;
using Agents.VmAgent.Tests.Support;

namespace Agents.VmAgent.Tests;

/// <summary>A system VM's agent runs its health checks (RunHealthChecks): basic ones and its scripts, only where its policy allows.</summary>
public sealed class AgentHealthChecksTests : IDisposable
{
    private readonly ExecutorFixture _fx = new();
    private readonly string _checks;

    public AgentHealthChecksTests()
    {
        _checks = Directory.CreateDirectory(Path.Combine(_fx.Root, "health-checks")).FullName;
        Script("nfs_mount_check", "echo 'secondary storage mounted'");
        Script("console_proxy_check", "echo 'port 8443 refused' >&2; exit 4");
        File.WriteAllText(Path.Combine(_checks, "README"), "not executable: not a check");
    }

    public void Dispose() => _fx.Dispose();

    private static AgentPolicy Allowing => new([CommandTypes.RunHealthChecks], [], Privileged: true);

    private CommandExecutor Executor(AgentPolicy policy) =>
        new([new AgentHealthChecksHandler(_checks, () => null)], new CommandJournal(Path.Combine(_fx.Root, "journal")), policy, _fx.Log,
            Directory.CreateDirectory(Path.Combine(_fx.Root, "work")).FullName);

    private static Contracts.Protocol.CommandFrame Checks(HealthCheckType? type) =>
        ExecutorFixture.Command(CommandTypes.RunHealthChecks, AgentJson.Serialize(new RunHealthChecks { CheckType = type }));

    [Fact]
    public async Task basic_checks_and_every_executable_script_report_each_result_and_a_failure_sets_the_exit_code()
    {
        var result = await Executor(Allowing).ExecuteAsync(Checks(null), default);

        Assert.Equal((CommandOutcome.Success, 1), (result.Outcome, result.ExitCode));
        var checks = AgentJson.Deserialize<List<HealthCheckResult>>(result.Stdout!).ToDictionary(c => c.CheckName);
        Assert.Equal(["agent_certificate_check", "console_proxy_check", "disk_space_check", "memory_usage_check", "nfs_mount_check"], checks.Keys.Order());
        Assert.Equal((HealthCheckType.Advanced, true, "secondary storage mounted"), (checks["nfs_mount_check"].CheckType, checks["nfs_mount_check"].Success, checks["nfs_mount_check"].Details));
        Assert.Equal((false, "port 8443 refused"), (checks["console_proxy_check"].Success, checks["console_proxy_check"].Details));
        Assert.True(checks["disk_space_check"].Success, checks["disk_space_check"].Details);
        // this agent has not enrolled: its certificate check fails and says why
        Assert.Equal((HealthCheckType.Basic, false, "the agent has no certificate"),
            (checks["agent_certificate_check"].CheckType, checks["agent_certificate_check"].Success, checks["agent_certificate_check"].Details));
    }

    [Fact]
    public async Task advanced_runs_only_the_scripts()
    {
        var result = await Executor(Allowing).ExecuteAsync(Checks(HealthCheckType.Advanced), default);

        Assert.Equal(["console_proxy_check", "nfs_mount_check"], AgentJson.Deserialize<List<HealthCheckResult>>(result.Stdout!).Select(c => c.CheckName).Order());
    }

    [Fact]
    public async Task a_policy_without_run_health_checks_rejects_them_and_no_script_runs()
    {
        var marker = Path.Combine(_fx.Root, "ran");
        Script("marker_check", $"touch '{marker}'");

        var result = await Executor(TestPolicies.Everything).ExecuteAsync(Checks(null), default);

        Assert.Equal(CommandOutcome.Rejected, result.Outcome);
        Assert.False(File.Exists(marker));
    }

    private void Script(string name, string body)
    {
        var path = Path.Combine(_checks, name + ".sh");
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
