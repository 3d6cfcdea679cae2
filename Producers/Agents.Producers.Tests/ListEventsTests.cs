using System.Net;
using System.Text;
using Agents.Audit;
using Agents.Storage;
using Agents.Storage.Audit;
using Agents.Producers.Tests.Support;

namespace Agents.Producers.Tests;

[Collection(WorldCollection.Name)]
public sealed class ListEventsTests(World world)
{
    [Fact]
    public async Task list_events_reads_the_audit_log_with_cloudstacks_filters_and_a_user_sees_only_its_own_vms()
    {
        var started = await world.Admin.OkAsync("runAgentRecipe", ("virtualmachineid", World.VmId(10)), ("name", World.Recipe),
            ("sha256", World.RecipeSha256), ("script", World.RecipeBase64));
        var jobId = started.Value<string>("jobid")!;
        await world.Admin.WaitForJobAsync(jobId);
        // what the consumers service does with every event: append it to the audit log
        var audit = await AuditStore.OpenAsync(Database.Sqlite(world.AuditDatabasePath));
        foreach (var carried in (await world.Tap.AllAsync()).Where(m => m.Exchange == Contracts.Topology.EventsExchange))
            await audit.AppendAsync(AuditRecordFactory.FromDelivery(carried.RoutingKey, Encoding.UTF8.GetBytes(carried.Body), null, DateTimeOffset.UtcNow));

        // an AsyncJobEvent names the job's instance (the VM) as its resource
        var jobEvents = await world.Admin.OkAsync("listEvents", ("type", "ASYNC.JOB"), ("resourceid", World.VmId(10)));
        Assert.Equal(3, jobEvents.Value<int>("count"));
        Assert.All(jobEvents["event"]!, e => Assert.Equal("ASYNC.JOB", e.Value<string>("type")));

        var recipeEvents = await world.Admin.OkAsync("listEvents", ("type", "AGENT.RECIPE.RUN"), ("resourceid", World.VmId(10)));
        Assert.True(recipeEvents.Value<int>("count") >= 1, recipeEvents.ToString());

        var keys = (await world.Admin.OkAsync("registerUserKeys", ("account", "bob")))["userkeys"]!;
        var bob = world.Client(keys.Value<string>("apikey")!, keys.Value<string>("secretkey")!);
        var (status, _) = await bob.CallAsync("listEvents");
        Assert.Equal(531, (int)status);
        (status, _) = await bob.CallAsync("listEvents", ("resourceid", World.VmId(10)));
        Assert.Equal(531, (int)status);
        var own = await bob.OkAsync("listEvents", ("resourceid", World.VmId(11)));
        Assert.True(own["count"] is null || own.Value<int>("count") >= 0, own.ToString()); // an empty list is {} as in CloudStack

        (status, var body) = await world.Admin.CallAsync("listEvents", ("level", "LOUD"));
        Assert.Equal(HttpStatusCode.BadRequest + 31, status);
        Assert.Contains("level", body["listeventsresponse"]!.Value<string>("errortext"), StringComparison.Ordinal);
    }
}
