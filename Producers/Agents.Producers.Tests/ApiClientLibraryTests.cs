using Agents.Producers.Client;
using Agents.Producers.Tests.Support;

namespace Agents.Producers.Tests;

/// <summary>The client library (Agents.Producers.Client) against the real API service: what agentctl, the demo and the bench rely on.</summary>
[Collection(WorldCollection.Name)]
public sealed class ApiClientLibraryTests(World world)
{
    [Fact]
    public async Task a_query_too_long_for_a_url_is_sent_as_a_signed_form_post_and_answered()
    {
        // 10,000 characters: past the server's 8 KB request line, so only a POST body gets through. The
        // padding is a parameter listEvents does not declare: ignored, as CloudStack ignores it, but
        // signed and sent like any other (a declared one is held to its declared length, 255 for keyword).
        var padding = new string('k', 10_000);

        var events = await world.Admin.CallAsync("listEvents", ("keyword", "no-such-event"), ("padding", padding));

        Assert.Equal(0, ResponseValues.Count(events));
    }

    [Fact]
    public async Task waiting_for_a_fan_out_job_reports_its_counters_until_the_job_ends()
    {
        var reports = new List<AsyncJob>();
        var ids = string.Join(',', Enumerable.Range(30, 5).Select(World.VmId));

        var done = await world.Admin.RunJobAsync("runAgentRecipe",
            [new("virtualmachineids", ids), new("name", World.Recipe), new("sha256", World.RecipeSha256), new("script", World.RecipeBase64), new("maxconcurrency", "1")],
            new JobWaitOptions { FirstPoll = TimeSpan.FromMilliseconds(20), MaxPoll = TimeSpan.FromMilliseconds(100), Progress = reports.Add });

        done.EnsureSucceeded();
        Assert.Same(done, reports[^1]);
        Assert.Contains(reports, r => !r.IsFinished);
        Assert.All(reports, r => Assert.Equal(5, r.Progress!.Total));
        var finished = reports.Select(r => r.Progress!.Done).ToList();
        Assert.Equal(finished.Order(), finished);
        Assert.Equal(new AgentJobProgress(5, 5, 0, 0, 0, 0), done.Progress);
    }
}
