using System.Text.Json.Nodes;
using Agents.Contracts.Events;
using Agents.Producers.Client;
using Agents.Producers.Tests.Support;

namespace Agents.Producers.Tests;

[Collection(WorldCollection.Name)]
public sealed class FanOutTests(World world)
{
    private static string Ids(IEnumerable<int> indexes) => string.Join(',', indexes.Select(World.VmId));

    private Task<JsonObject> StartAsync(string ids, string maxConcurrency, string maxErrors) =>
        world.Admin.CallAsync("runAgentRecipe", ("virtualmachineids", ids), ("name", World.Recipe), ("sha256", World.RecipeSha256),
            ("script", World.RecipeBase64), ("maxconcurrency", maxConcurrency), ("maxerrors", maxErrors));

    private static List<JsonObject> Targets(AsyncJob job) => job.Result!["agentjob"]!["targets"]!.AsArray().Cast<JsonObject>().ToList();

    [Fact]
    public async Task a_fan_out_over_50_agents_within_its_error_budget_succeeds_and_reports_every_target()
    {
        var started = await StartAsync(Ids(Enumerable.Range(0, World.AgentCount)), "10", "20%");
        var done = await world.Admin.WaitForJobAsync(started["jobid"]!.GetValue<string>());

        Assert.True(done.Status == AsyncJobStatus.Succeeded, done.ToString());
        var targets = Targets(done);
        Assert.Equal(World.AgentCount, targets.Count);
        var byVm = targets.ToDictionary(t => t["virtualmachineid"]!.GetValue<string>());
        for (var i = 0; i < World.AgentCount; i++)
        {
            var target = byVm[World.VmId(i)];
            var expected = i < World.FirstFailing ? "Success" : i % 2 == 1 ? "Rejected" : "Failed";
            Assert.True(expected == target["status"]!.GetValue<string>(), $"{World.VmId(i)}: {target}");
            if (expected == "Success") Assert.StartsWith("hello", target["stdout"]!.GetValue<string>(), StringComparison.Ordinal);
            if (expected == "Failed") Assert.Equal(3, target["exitcode"]!.GetValue<int>());
            if (expected == "Rejected") Assert.Contains("policy", target["message"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        var summary = done.Result!["agentjob"]!;
        Assert.Equal(40, summary["success"]!.GetValue<int>());
        Assert.Equal(10, summary["maxerrors"]!.GetValue<int>());
    }

    [Fact]
    public async Task once_the_error_budget_is_spent_no_new_target_is_sent()
    {
        const int maxConcurrency = 5, maxErrors = 3;
        // the failing agents first, so the budget is spent early
        var order = Enumerable.Range(World.FirstFailing, World.AgentCount - World.FirstFailing).Concat(Enumerable.Range(0, World.FirstFailing));
        var started = await StartAsync(Ids(order), maxConcurrency.ToString(System.Globalization.CultureInfo.InvariantCulture), maxErrors.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var done = await world.Admin.WaitForJobAsync(started["jobid"]!.GetValue<string>());

        Assert.Equal(AsyncJobStatus.Failed, done.Status);
        var targets = Targets(done);
        var sent = targets.Count(t => t["status"]!.GetValue<string>() != "Cancelled");
        var failed = targets.Count(t => t["status"]!.GetValue<string>() is "Failed" or "Rejected");
        Assert.True(failed > maxErrors, $"{failed} failures");
        // in flight when the budget ran out still finish: at most maxconcurrency - 1 beyond the failure that spent it
        Assert.True(sent <= maxErrors + maxConcurrency, $"{sent} targets sent");
        Assert.All(targets.Where(t => t["status"]!.GetValue<string>() == "Cancelled"), t => Assert.Contains("maxerrors", t["message"]!.GetValue<string>(), StringComparison.Ordinal));
        Assert.Contains("maxerrors 3", done.Result!["errortext"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task cancelling_a_fan_out_cancels_the_targets_not_yet_sent()
    {
        var started = await StartAsync(Ids(Enumerable.Range(0, World.FirstFailing)), "1", "0");
        var jobId = started["jobid"]!.GetValue<string>();

        var cancelled = await world.Admin.CallAsync("cancelAsyncJob", ("jobid", jobId));
        Assert.NotNull(cancelled);
        var done = await world.Admin.WaitForJobAsync(jobId);

        Assert.Equal(AsyncJobStatus.Failed, done.Status);
        Assert.Contains("cancelled", done.Result!["errortext"]!.GetValue<string>(), StringComparison.Ordinal);
        var targets = Targets(done);
        Assert.True(targets.Count(t => t["status"]!.GetValue<string>() == "Cancelled") >= World.FirstFailing - 2, done.ToString());
        Assert.All(targets, t => Assert.Contains(t["status"]!.GetValue<string>(), new[] { "Success", "Cancelled" }));
    }

    [Fact]
    public async Task a_fan_out_sent_as_one_batch_message_per_router_reports_every_target_as_single_commands_did()
    {
        // the 40 agents that succeed, all behind one router, all allowed at once: one AgentCommandBatch of 40
        var started = await StartAsync(Ids(Enumerable.Range(0, World.FirstFailing)), World.FirstFailing.ToString(System.Globalization.CultureInfo.InvariantCulture), "0");
        var jobId = started["jobid"]!.GetValue<string>();
        var done = await world.Admin.WaitForJobAsync(jobId);

        Assert.True(done.Status == AsyncJobStatus.Succeeded, done.ToString());
        var targets = Targets(done);
        Assert.Equal(World.FirstFailing, targets.Count);
        Assert.All(targets, t => Assert.Equal("Success", t["status"]!.GetValue<string>()));
        Assert.All(targets, t => Assert.StartsWith("hello", t["stdout"]!.GetValue<string>(), StringComparison.Ordinal));
        Assert.Equal(World.FirstFailing, targets.Select(t => t["virtualmachineid"]!.GetValue<string>()).Distinct().Count());
        var sent = world.Api.Lines.Where(l => l.Contains($"Job {jobId}: sent", StringComparison.Ordinal)).ToList();
        Assert.Equal(World.FirstFailing, sent.Count);
        Assert.All(sent, l => Assert.Contains($"{World.FirstFailing} in its message", l, StringComparison.Ordinal));
    }
}
