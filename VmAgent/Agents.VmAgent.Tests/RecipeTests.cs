using Agents.Contracts.Commands;
using Agents.Contracts.Protocol;
using Agents.VmAgent.Core.Policy;
using Agents.VmAgent.Core.Recipes;
using Agents.VmAgent.Tests.Support;

namespace Agents.VmAgent.Tests;

public sealed class RecipeTests : IDisposable
{
    private readonly ExecutorFixture _fx = new();

    public void Dispose() => _fx.Dispose();

    [Fact]
    public async Task a_recipe_not_in_the_policy_is_rejected_and_does_not_run()
    {
        _fx.AddRecipe("touch", $"touch '{_fx.Root}/ran'\n");
        var result = await _fx.Executor(TestPolicies.Everything).ExecuteAsync(ExecutorFixture.Recipe("touch"), default);

        Assert.Equal(CommandOutcome.Rejected, result.Outcome);
        Assert.Contains("not in the local policy", result.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_fx.Root, "ran")));
    }

    [Fact]
    public async Task a_recipe_whose_hash_differs_from_the_policy_is_rejected_and_does_not_run()
    {
        var hash = _fx.AddRecipe("touch", $"touch '{_fx.Root}/ran'\n");
        _fx.AddRecipe("touch", $"touch '{_fx.Root}/ran'\necho tampered\n");
        var policy = TestPolicies.WithRecipes(new RecipePolicy("touch", hash));

        var result = await _fx.Executor(policy).ExecuteAsync(ExecutorFixture.Recipe("touch"), default);

        Assert.Equal(CommandOutcome.Rejected, result.Outcome);
        Assert.Contains("sha256", result.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_fx.Root, "ran")));
    }

    [Fact]
    public async Task parameters_full_of_shell_metacharacters_arrive_verbatim_as_environment_variables()
    {
        const string nasty = "$(touch /tmp/pwned) `id` ; rm -rf / && echo \"quoted\" 'single' | cat > x < y * ? [a] {b} ~ # \\ \t end";
        var hash = _fx.AddRecipe("echo", "printf '%s' \"$RECIPE_message\" > \"$AGENT_SANDBOX_ROOT/message\"\n");
        var policy = TestPolicies.WithRecipes(new RecipePolicy("echo", hash));

        var result = await _fx.Executor(policy).ExecuteAsync(ExecutorFixture.Recipe("echo", new Dictionary<string, string> { ["message"] = nasty }), default);

        Assert.True(result.Outcome == CommandOutcome.Success, result.Message + result.Stderr);
        Assert.Equal(nasty, await File.ReadAllTextAsync(Path.Combine(_fx.Sandbox.Root, "message")));
        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public async Task a_recipe_that_overruns_its_timeout_leaves_no_child_process_behind()
    {
        var pidFile = Path.Combine(_fx.Root, "child.pid");
        var hash = _fx.AddRecipe("hang", $"sleep 300 &\necho $! > '{pidFile}'\nsleep 300\n");
        var policy = TestPolicies.WithRecipes(new RecipePolicy("hang", hash));

        var result = await _fx.Executor(policy).ExecuteAsync(ExecutorFixture.Recipe("hang", timeoutSeconds: 1), default);

        Assert.Equal(CommandOutcome.Failed, result.Outcome);
        Assert.Contains("timeout", result.Message, StringComparison.Ordinal);
        Assert.True(result.DurationMs < 10_000, $"took {result.DurationMs} ms");
        var pid = int.Parse((await File.ReadAllTextAsync(pidFile)).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        await Eventually.TrueAsync(() => !IsAlive(pid), $"background child {pid} of the timed-out recipe to be gone", 5);
    }

    [Fact]
    public async Task output_is_captured_truncated_and_the_exit_code_reported()
    {
        var hash = _fx.AddRecipe("noisy", "head -c 100000 /dev/zero | tr '\\0' 'o'\nhead -c 50000 /dev/zero | tr '\\0' 'e' >&2\nexit 7\n");
        var policy = TestPolicies.WithRecipes(new RecipePolicy("noisy", hash));

        var result = await _fx.Executor(policy).ExecuteAsync(ExecutorFixture.Recipe("noisy"), default);

        Assert.Equal(CommandOutcome.Failed, result.Outcome);
        Assert.Equal(7, result.ExitCode);
        Assert.InRange(result.Stdout!.Length, RecipeRunner.StdoutLimitBytes, RecipeRunner.StdoutLimitBytes + 20);
        Assert.InRange(result.Stderr!.Length, RecipeRunner.StderrLimitBytes, RecipeRunner.StderrLimitBytes + 20);
        Assert.EndsWith("[truncated]", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_agents_own_environment_does_not_leak_into_a_recipe()
    {
        Environment.SetEnvironmentVariable("AGENT_ENROLLMENT_TOKEN", "do-not-leak");
        var hash = _fx.AddRecipe("env", "env\n");
        var policy = TestPolicies.WithRecipes(new RecipePolicy("env", hash));

        var result = await _fx.Executor(policy).ExecuteAsync(ExecutorFixture.Recipe("env"), default);

        Assert.Equal(CommandOutcome.Success, result.Outcome);
        Assert.DoesNotContain("do-not-leak", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_privileged_recipe_is_rejected_when_the_policy_is_not_privileged()
    {
        var hash = _fx.AddRecipe("root-only", "id\n");
        var policy = TestPolicies.WithRecipes(new RecipePolicy("root-only", hash, Privileged: true)) with { Privileged = false };

        var result = await _fx.Executor(policy).ExecuteAsync(ExecutorFixture.Recipe("root-only"), default);

        Assert.Equal(CommandOutcome.Rejected, result.Outcome);
        Assert.Contains("privileged: false", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void the_built_in_recipes_exist_with_honest_names()
    {
        var names = RecipeCatalog.BuiltIns().Select(r => r.Name).ToList();
        Assert.Equal(["file-backup-sample", "monitoring-agent-sample", "package-upgrade"], names);
        Assert.All(RecipeCatalog.BuiltIns(), r => Assert.Equal(64, r.Sha256.Length));
    }

    [Theory]
    [InlineData("package-upgrade")]
    [InlineData("monitoring-agent-sample")]
    [InlineData("file-backup-sample")]
    public async Task a_built_in_recipe_on_a_sandboxed_agent_records_its_intent_in_the_sandbox_and_installs_nothing(string name)
    {
        var builtIn = RecipeCatalog.BuiltIn(name)!;
        var policy = TestPolicies.WithRecipes(new RecipePolicy(name, builtIn.Sha256, Privileged: true));

        var result = await _fx.Executor(policy).ExecuteAsync(ExecutorFixture.Recipe(name), default);

        Assert.True(result.Outcome == CommandOutcome.Success, result.Message + result.Stderr);
        Assert.StartsWith("sandbox: would ", result.Stdout, StringComparison.Ordinal);
        Assert.Contains(name, await File.ReadAllTextAsync(Path.Combine(_fx.Sandbox.Root, "var", "log", "agent-recipes.log")), StringComparison.Ordinal);
    }

    private static bool IsAlive(int pid)
    {
        var status = $"/proc/{pid}/status";
        if (!File.Exists(status)) return false;
        try
        {
            // a zombie waiting for its reaper no longer runs
            return !File.ReadAllLines(status).Any(l => l.StartsWith("State:", StringComparison.Ordinal) && l.Contains('Z', StringComparison.Ordinal));
        }
        catch (IOException) { return false; }
    }
}
