using Agents.Contracts.Commands;
using Agents.Contracts.Protocol;
using Agents.VmAgent.Core.Policy;
using Agents.VmAgent.Tests.Support;

namespace Agents.VmAgent.Tests;

public sealed class JournalAndPolicyTests : IDisposable
{
    private readonly ExecutorFixture _fx = new();

    public void Dispose() => _fx.Dispose();

    [Fact]
    public async Task a_command_redelivered_to_a_restarted_agent_returns_the_stored_result_and_does_not_run_twice()
    {
        var counter = Path.Combine(_fx.Root, "count");
        var hash = _fx.AddRecipe("count", $"echo run >> '{counter}'\necho first-run-output\n");
        var policy = TestPolicies.WithRecipes(new RecipePolicy("count", hash));
        var command = ExecutorFixture.Recipe("count");

        var first = await _fx.Executor(policy).ExecuteAsync(command, default);
        var afterRestart = await _fx.Executor(policy).ExecuteAsync(command, default);

        Assert.Equal(CommandOutcome.Success, first.Outcome);
        Assert.Equal(first, afterRestart);
        Assert.Single(await File.ReadAllLinesAsync(counter));
    }

    [Fact]
    public async Task the_same_command_arriving_twice_at_once_runs_once()
    {
        var counter = Path.Combine(_fx.Root, "count");
        var hash = _fx.AddRecipe("slow", $"echo run >> '{counter}'\nsleep 1\n");
        var executor = _fx.Executor(TestPolicies.WithRecipes(new RecipePolicy("slow", hash)));
        var command = ExecutorFixture.Recipe("slow");

        var results = await Task.WhenAll(executor.ExecuteAsync(command, default), executor.ExecuteAsync(command, default));

        Assert.Equal(results[0], results[1]);
        Assert.Single(await File.ReadAllLinesAsync(counter));
    }

    [Fact]
    public async Task a_command_type_the_policy_does_not_list_is_rejected_with_the_reason()
    {
        var policy = new AgentPolicy([CommandTypes.ResetVmPassword], [], Privileged: true);
        var result = await _fx.Executor(policy).ExecuteAsync(
            ExecutorFixture.Command(CommandTypes.ResetVmSshKey, """{"username":"alice","publicKeys":["ssh-ed25519 AAAA x"]}"""), default);

        Assert.Equal(CommandOutcome.Rejected, result.Outcome);
        Assert.Equal("the local policy does not allow 'ResetVmSshKey'", result.Message);
        Assert.False(File.Exists(_fx.Sandbox.AuthorizedKeysPath("alice")));
    }

    [Fact]
    public async Task a_password_reset_is_rejected_when_the_policy_is_not_privileged()
    {
        var policy = TestPolicies.Everything with { Privileged = false };
        var result = await _fx.Executor(policy).ExecuteAsync(
            ExecutorFixture.Command(CommandTypes.ResetVmPassword, """{"username":"root","sealedPassword":{"algorithm":"x","recipientSerial":"01","ephemeralPublicKey":"","nonce":"","ciphertext":"","tag":""}}"""), default);

        Assert.Equal(CommandOutcome.Rejected, result.Outcome);
        Assert.Contains("privileged: false", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_malformed_payload_is_rejected_and_changes_nothing()
    {
        var result = await _fx.Executor(TestPolicies.Everything).ExecuteAsync(
            ExecutorFixture.Command(CommandTypes.ResetVmSshKey, """{"username":"../../etc","publicKeys":["ssh-ed25519 AAAA"]}"""), default);

        Assert.Equal(CommandOutcome.Rejected, result.Outcome);
        Assert.False(Directory.Exists(Path.Combine(_fx.Sandbox.Root, "home")));
    }

    [Fact]
    public void a_policy_file_is_read_and_a_bad_one_is_refused_with_the_setting_named()
    {
        var path = Path.Combine(_fx.Root, "policy.json");
        File.WriteAllText(path, """
            {
              // comments are allowed
              "privileged": false,
              "allowedCommands": ["RunRecipe"],
              "recipes": [ { "name": "package-upgrade", "sha256": "0000000000000000000000000000000000000000000000000000000000000000", "privileged": true } ]
            }
            """);
        var policy = AgentPolicy.Load(path);
        Assert.False(policy.Privileged);
        Assert.True(policy.Allows("RunRecipe"));
        Assert.True(policy.FindRecipe("package-upgrade")!.Privileged);

        File.WriteAllText(path, """{"allowedCommands":["RunRecipe"],"recipes":[{"name":"x","sha256":"short"}]}""");
        Assert.Contains("sha256", Assert.Throws<InvalidDataException>(() => AgentPolicy.Load(path)).Message, StringComparison.Ordinal);
    }
}
