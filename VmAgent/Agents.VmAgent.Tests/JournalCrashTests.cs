using System.Globalization;
using System.Security.Cryptography;
using Agents.Contracts.Commands;
using Agents.Contracts.Protocol;
using Agents.Testing;
using Agents.VmAgent.Core.Journal;
using Agents.VmAgent.Tests.Support;

namespace Agents.VmAgent.Tests;

/// <summary>
/// The agent program killed between a journal append and its fsync (the test hook
/// <see cref="JournalOptions.CrashHookVariable"/>), then started again on the same data directory while
/// the bridge redelivers the same command id: the command's effect happens at most once and the
/// redelivery gets one answer, whichever record the crash interrupted.
/// </summary>
public sealed class JournalCrashTests : TempPkiTest
{
    private static readonly TimeSpan Delivery = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Execution = TimeSpan.FromSeconds(60);


    [Fact]
    public async Task an_agent_killed_after_appending_started_does_not_run_the_command_when_it_comes_back()
    {
        var (result, runs, crashed) = await CrashAndRedeliverAsync("started");

        Assert.Equal(CommandOutcome.Failed, result.Outcome);
        Assert.Contains("not run a second time", result.Message, StringComparison.Ordinal);
        Assert.Equal(0, runs);
        Assert.Contains($"{JournalOptions.CrashHookVariable}=started", crashed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task an_agent_killed_after_appending_the_result_answers_the_redelivery_from_its_journal()
    {
        var (result, runs, crashed) = await CrashAndRedeliverAsync("finished");

        Assert.True(result.Outcome == CommandOutcome.Success, result.Message);
        Assert.Equal(1, runs);
        Assert.Contains($"{JournalOptions.CrashHookVariable}=finished", crashed, StringComparison.Ordinal);
    }

    /// <summary>The recipe's runs (lines it appended), the one result the bridge got, and the crashed process's output.</summary>
    private async Task<(ResultFrame Result, int Runs, string Crashed)> CrashAndRedeliverAsync(string hook)
    {
        await using var bridge = new TestBridge(Pki);
        var recipes = Temp.Sub("recipes");
        var script = "#!/bin/sh\necho run >> \"$AGENT_SANDBOX_ROOT/runs\"\n"u8.ToArray();
        await File.WriteAllBytesAsync(Path.Combine(recipes, "once.sh"), script);
        var policy = Path.Combine(Temp.Path, "policy.json");
        await File.WriteAllTextAsync(policy, $$"""{"allowedCommands":["RunRecipe"],"recipes":[{"name":"once","sha256":"{{Convert.ToHexStringLower(SHA256.HashData(script))}}"}]}""");
        var sandbox = Path.Combine(Temp.Path, "sandbox");
        var ca = Pki.WriteRootPem(Temp.Path);
        string[] arguments = [
            "--router", "127.0.0.1", "--port", bridge.Port.ToString(CultureInfo.InvariantCulture),
            "--data-dir", Path.Combine(Temp.Path, "data"), "--sandbox-root", sandbox, "--ca-file", ca,
            "--policy", policy, "--recipe-dir", recipes, "--max-backoff-seconds", "1",
        ];

        string crashed;
        Task<ResultFrame> pending;
        await using (var first = AgentProgram.Start([.. arguments, "--token", bridge.Relay.TokenFor("vm-c")],
            new Dictionary<string, string> { [JournalOptions.CrashHookVariable] = hook }))
        {
            await Eventually.TrueAsync(() => bridge.Registry.IsConnected("vm-c"), "the agent to enroll and connect", 30);
            pending = bridge.Registry.SendCommandAsync("vm-c", ExecutorFixture.Command("RunRecipe", """{"name":"once"}"""), Delivery, Execution, default);
            Assert.NotEqual(0, await first.WaitForExitAsync());
            crashed = first.Output;
        }
        Assert.False(pending.IsCompleted, "the bridge got an answer from an agent that was killed before its fsync");

        await using var second = AgentProgram.Start(arguments);
        var result = await pending;
        var runsFile = Path.Combine(sandbox, "runs");
        var runs = File.Exists(runsFile) ? (await File.ReadAllLinesAsync(runsFile)).Length : 0;
        return (result, runs, crashed);
    }
}
