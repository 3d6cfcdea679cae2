using System.Globalization;
using System.Net;
using Agents.Contracts.Commands;
using Agents.Contracts.Protocol;
using Agents.RouterBridge.Core.Agents;
using Agents.Testing;
using Agents.VmAgent.Core.Os;
using Agents.VmAgent.Tests.Support;

namespace Agents.VmAgent.Tests;

/// <summary>The standalone program (VmAgent/Agents.VmAgent) as a real process against a real bridge over TLS.</summary>
public sealed class AgentProgramTests : TempPkiTest
{
    private static readonly TimeSpan Delivery = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Execution = TimeSpan.FromSeconds(30);


    private static string Text(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static CommandFrame Command(string type, string json) => ExecutorFixture.Command(type, json);

    private static async Task ConnectedAsync(TestBridge bridge, string vmId, ServiceProcess agent)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!bridge.Registry.IsConnected(vmId))
        {
            if (agent.HasExited) Assert.Fail($"the agent process exited before connecting; its output:\n{agent.Output}");
            if (DateTime.UtcNow > deadline) Assert.Fail($"the agent process did not connect as {vmId} within 30 s; its output:\n{agent.Output}");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task the_agent_program_enrolls_with_a_one_time_token_runs_commands_in_its_sandbox_and_stops_cleanly_on_sigterm()
    {
        await using var bridge = new TestBridge(Pki);
        var token = bridge.Relay.TokenFor("vm-p");
        var recipe = Path.Combine(Temp.Sub("recipes"), "greet.sh");
        await File.WriteAllTextAsync(recipe, "#!/bin/sh\nprintf 'hello %s' \"$RECIPE_WHO\" > \"$AGENT_SANDBOX_ROOT/greeting\"\necho done\n");
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(recipe)));
        var policy = Path.Combine(Temp.Path, "policy.json");
        await File.WriteAllTextAsync(policy, $$"""{"allowedCommands":["ResetVmSshKey","RunRecipe"],"recipes":[{"name":"greet","sha256":"{{hash}}"}],"privileged":true}""");
        var data = Path.Combine(Temp.Path, "data");
        var sandbox = Path.Combine(Temp.Path, "sandbox");

        await using var agent = AgentProgram.Start([
            "--router", "127.0.0.1", "--port", Text(bridge.Port), "--token", token,
            "--data-dir", data, "--sandbox-root", sandbox, "--ca-file", Pki.WriteRootPem(Temp.Path),
            "--policy", policy, "--recipe-dir", Path.GetDirectoryName(recipe)!, "--max-backoff-seconds", "1",
        ]);
        await ConnectedAsync(bridge, "vm-p", agent);

        Assert.True(File.Exists(Path.Combine(data, "agent.key")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(data, "agent.key")));
        const string key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIProcessKey carol@example";
        var keys = await bridge.Registry.SendCommandAsync("vm-p", Command("ResetVmSshKey", $$"""{"username":"carol","publicKeys":["{{key}}"]}"""), Delivery, Execution, default);
        Assert.True(keys.Outcome == CommandOutcome.Success, keys.Message);
        Assert.Contains(key, await File.ReadAllTextAsync(new SandboxGuestOs(sandbox).AuthorizedKeysPath("carol")), StringComparison.Ordinal);

        var run = await bridge.Registry.SendCommandAsync("vm-p", Command("RunRecipe", """{"name":"greet","parameters":{"WHO":"it's $(me); `x`"}}"""), Delivery, Execution, default);
        Assert.True(run.Outcome == CommandOutcome.Success, run.Message);
        Assert.Equal("hello it's $(me); `x`", await File.ReadAllTextAsync(Path.Combine(sandbox, "greeting")));

        Assert.Equal(0, await agent.StopAsync());
        Assert.Contains("agent stopped", agent.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(token, agent.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_agent_program_reads_a_json_config_and_a_user_data_token_and_connects_over_ipv6()
    {
        await using var bridge = new TestBridge(Pki);
        var userData = Path.Combine(Temp.Path, "user-data.txt");
        await File.WriteAllTextAsync(userData, $"#cloud-config-ish\nhostname=vm6\nagent_enrollment_token={bridge.Relay.TokenFor("vm-6")}\n");
        var config = Path.Combine(Temp.Path, "agent.json");
        await File.WriteAllTextAsync(config, $$"""
            {
              // comments are allowed
              "routers": ["::1"],
              "port": {{bridge.Port}},
              "dataDirectory": "{{Path.Combine(Temp.Path, "data")}}",
              "caFile": "{{Pki.WriteRootPem(Temp.Path)}}",
              "sandboxRoot": "{{Path.Combine(Temp.Path, "sandbox")}}",
              "userDataFile": "{{userData}}",
              "maxBackoffSeconds": 1,
            }
            """);

        await using var agent = AgentProgram.Start(["--config", config]);
        await ConnectedAsync(bridge, "vm-6", agent);

        var remote = (IPEndPoint)bridge.Registry.Snapshot().Single().RemoteEndPoint!;
        Assert.Equal(IPAddress.IPv6Loopback, remote.Address);
        var result = await bridge.Registry.SendCommandAsync("vm-6",
            Command("ResetVmSshKey", """{"username":"root","publicKeys":["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAISix root@six"]}"""), Delivery, Execution, default);
        Assert.True(result.Outcome == CommandOutcome.Success, result.Message);
    }

    [Fact]
    public async Task the_default_policy_of_the_program_refuses_recipes()
    {
        await using var bridge = new TestBridge(Pki);
        await using var agent = AgentProgram.Start([
            "--router", "127.0.0.1", "--port", Text(bridge.Port), "--data-dir", Path.Combine(Temp.Path, "data"),
            "--sandbox-root", Path.Combine(Temp.Path, "sandbox"), "--ca-file", Pki.WriteRootPem(Temp.Path),
        ], new Dictionary<string, string> { [Core.Client.EnrollmentToken.EnvironmentVariable] = bridge.Relay.TokenFor("vm-d") });
        await ConnectedAsync(bridge, "vm-d", agent);

        var run = await bridge.Registry.SendCommandAsync("vm-d", Command("RunRecipe", """{"name":"package-upgrade"}"""), Delivery, Execution, default);

        Assert.Equal(CommandOutcome.Rejected, run.Outcome);
    }

    [Fact]
    public async Task an_idle_agent_program_gives_back_the_memory_its_start_and_commands_used_and_still_answers()
    {
        await using var bridge = new TestBridge(Pki);
        string[] arguments =
        [
            "--router", "127.0.0.1", "--port", Text(bridge.Port), "--data-dir", Path.Combine(Temp.Path, "data"),
            "--sandbox-root", Path.Combine(Temp.Path, "sandbox"), "--ca-file", Pki.WriteRootPem(Temp.Path), "--log-level", "debug",
        ];
        await using var agent = AgentProgram.Start(arguments,
            new Dictionary<string, string> { [Core.Client.EnrollmentToken.EnvironmentVariable] = bridge.Relay.TokenFor("vm-t") });
        await ConnectedAsync(bridge, "vm-t", agent);

        // about a second of quiet after connecting: one compacting collection and MADV_PAGEOUT over the file mappings
        await agent.LineAsync("idle: resident memory went from").WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Matches(@"idle: resident memory went from \d+\.\d to \d+\.\d MiB in \d+ ms", agent.Output);
        Assert.DoesNotContain("idle memory trim stopped", agent.Output, StringComparison.Ordinal);

        // what was given back faults in again: the agent still runs a command
        const string key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAITrimmedKey dave@example";
        var keys = await bridge.Registry.SendCommandAsync("vm-t", Command("ResetVmSshKey", $$"""{"username":"dave","publicKeys":["{{key}}"]}"""), Delivery, Execution, default);
        Assert.True(keys.Outcome == CommandOutcome.Success, keys.Message);
        Assert.Equal(0, await agent.StopAsync());
    }

    [Fact]
    public async Task with_no_trim_idle_memory_the_agent_program_keeps_its_memory()
    {
        await using var bridge = new TestBridge(Pki);
        await using var agent = AgentProgram.Start([
            "--router", "127.0.0.1", "--port", Text(bridge.Port), "--data-dir", Path.Combine(Temp.Path, "data"),
            "--sandbox-root", Path.Combine(Temp.Path, "sandbox"), "--ca-file", Pki.WriteRootPem(Temp.Path), "--log-level", "debug",
            "--no-trim-idle-memory",
        ], new Dictionary<string, string> { [Core.Client.EnrollmentToken.EnvironmentVariable] = bridge.Relay.TokenFor("vm-k") });
        await ConnectedAsync(bridge, "vm-k", agent);

        // three quiet checks' worth: a trimming agent logs its trim after the first
        await Task.Delay(IdleMemoryTrimmer.Quiet * 3);
        Assert.Equal(0, await agent.StopAsync());
        Assert.Contains("connected to router", agent.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("idle: resident memory", agent.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("port", new[] { "--port", "70000" })]
    [InlineData("trimIdleMemory", new[] { "--trim-idle-memory=sometimes" })]
    [InlineData("routers", new[] { "--router", "not a host!" })]
    [InlineData("policyFile", new[] { "--policy", "/nonexistent/policy.json" })]
    [InlineData("caFile", new[] { "--ca-file", "/nonexistent/ca.pem" })]
    [InlineData("enrollmentTokenFile", new[] { "--token-file", "/nonexistent/agent.token" })]
    [InlineData("logLevel", new[] { "--log-level", "loud" })]
    [InlineData("heartbeatSeconds", new[] { "--heartbeat-seconds", "soon" })]
    public async Task a_bad_setting_on_the_command_line_exits_with_code_2_and_a_message_naming_it(string setting, string[] flags)
    {
        var (code, output) = await AgentProgram.RunToEndAsync(["--data-dir", Path.Combine(Temp.Path, "data"), "--ca-file", Pki.WriteRootPem(Temp.Path), .. flags]);

        Assert.Equal(2, code);
        Assert.Contains($"setting '{setting}'", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("routerz", """{"routerz":["10.0.0.1"]}""")]
    [InlineData("port", """{"port":"eight"}""")]
    [InlineData("maxBackoffSeconds", """{"maxBackoffSeconds":0}""")]
    public async Task a_bad_config_file_exits_with_code_2_and_a_message_naming_the_setting(string setting, string json)
    {
        var config = Path.Combine(Temp.Path, "agent.json");
        await File.WriteAllTextAsync(config, json);

        var (code, output) = await AgentProgram.RunToEndAsync(["--config", config, "--data-dir", Path.Combine(Temp.Path, "data"), "--ca-file", Pki.WriteRootPem(Temp.Path)]);

        Assert.Equal(2, code);
        Assert.Contains($"setting '{setting}'", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task version_prints_the_program_name_and_version()
    {
        var (code, output) = await AgentProgram.RunToEndAsync(["--version"]);

        Assert.Equal(0, code);
        Assert.StartsWith("agents-vm-agent 1.", output, StringComparison.Ordinal);
    }
}
