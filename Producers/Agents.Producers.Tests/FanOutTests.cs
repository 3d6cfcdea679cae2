using Agents.Producers.Tests.Support;
using Newtonsoft.Json.Linq;

namespace Agents.Producers.Tests;

[Collection(WorldCollection.Name)]
public sealed class FanOutTests(World world)
{
    private static string Ids(IEnumerable<int> indexes) => string.Join(',', indexes.Select(World.VmId));

    private Task<JObject> StartAsync(string ids, string maxConcurrency, string maxErrors) =>
        world.Admin.OkAsync("runAgentRecipe", ("virtualmachineids", ids), ("name", World.Recipe), ("sha256", World.RecipeSha256),
            ("script", World.RecipeBase64), ("maxconcurrency", maxConcurrency), ("maxerrors", maxErrors));

    private static List<JObject> Targets(JObject job) => job["jobresult"]!["agentjob"]!["targets"]!.Cast<JObject>().ToList();

    [Fact]
    public async Task a_fan_out_over_50_agents_within_its_error_budget_succeeds_and_reports_every_target()
    {
        var started = await StartAsync(Ids(Enumerable.Range(0, World.AgentCount)), "10", "20%");
        var done = await world.Admin.WaitForJobAsync(started.Value<string>("jobid")!);

        Assert.True(done.Value<int>("jobstatus") == 1, done.ToString());
        var targets = Targets(done);
        Assert.Equal(World.AgentCount, targets.Count);
        var byVm = targets.ToDictionary(t => t.Value<string>("virtualmachineid")!);
        for (var i = 0; i < World.AgentCount; i++)
        {
            var target = byVm[World.VmId(i)];
            var expected = i < World.FirstFailing ? "Success" : i % 2 == 1 ? "Rejected" : "Failed";
            Assert.True(expected == target.Value<string>("status"), $"{World.VmId(i)}: {target}");
            if (expected == "Success") Assert.StartsWith("hello", target.Value<string>("stdout"), StringComparison.Ordinal);
            if (expected == "Failed") Assert.Equal(3, target.Value<int>("exitcode"));
            if (expected == "Rejected") Assert.Contains("policy", target.Value<string>("message"), StringComparison.Ordinal);
        }
        var summary = done["jobresult"]!["agentjob"]!;
        Assert.Equal(40, summary.Value<int>("success"));
        Assert.Equal(10, summary.Value<int>("maxerrors"));
    }

    [Fact]
    public async Task once_the_error_budget_is_spent_no_new_target_is_sent()
    {
        const int maxConcurrency = 5, maxErrors = 3;
        // the failing agents first, so the budget is spent early
        var order = Enumerable.Range(World.FirstFailing, World.AgentCount - World.FirstFailing).Concat(Enumerable.Range(0, World.FirstFailing));
        var started = await StartAsync(Ids(order), maxConcurrency.ToString(System.Globalization.CultureInfo.InvariantCulture), maxErrors.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var done = await world.Admin.WaitForJobAsync(started.Value<string>("jobid")!);

        Assert.Equal(2, done.Value<int>("jobstatus"));
        var targets = Targets(done);
        var sent = targets.Count(t => t.Value<string>("status") != "Cancelled");
        var failed = targets.Count(t => t.Value<string>("status") is "Failed" or "Rejected");
        Assert.True(failed > maxErrors, $"{failed} failures");
        // in flight when the budget ran out still finish: at most maxconcurrency - 1 beyond the failure that spent it
        Assert.True(sent <= maxErrors + maxConcurrency, $"{sent} targets sent");
        Assert.All(targets.Where(t => t.Value<string>("status") == "Cancelled"), t => Assert.Contains("maxerrors", t.Value<string>("message"), StringComparison.Ordinal));
        Assert.Contains("maxerrors 3", done["jobresult"]!.Value<string>("errortext"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task cancelling_a_fan_out_cancels_the_targets_not_yet_sent()
    {
        var started = await StartAsync(Ids(Enumerable.Range(0, World.FirstFailing)), "1", "0");
        var jobId = started.Value<string>("jobid")!;

        var cancelled = await world.Admin.OkAsync("cancelAsyncJob", ("jobid", jobId));
        Assert.NotNull(cancelled);
        var done = await world.Admin.WaitForJobAsync(jobId);

        Assert.Equal(2, done.Value<int>("jobstatus"));
        Assert.Contains("cancelled", done["jobresult"]!.Value<string>("errortext"), StringComparison.Ordinal);
        var targets = Targets(done);
        Assert.True(targets.Count(t => t.Value<string>("status") == "Cancelled") >= World.FirstFailing - 2, done.ToString());
        Assert.All(targets, t => Assert.Contains(t.Value<string>("status"), new[] { "Success", "Cancelled" }));
    }
}
