using System.Text;
using Agents.Audit;
using Agents.Producers.Client;
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
        var started = await world.Admin.CallAsync("runAgentRecipe", ("virtualmachineid", World.VmId(10)), ("name", World.Recipe),
            ("sha256", World.RecipeSha256), ("script", World.RecipeBase64));
        var jobId = started["jobid"]!.GetValue<string>();
        await world.Admin.WaitForJobAsync(jobId);
        // what the consumers service does with every event: append it to the audit log
        var audit = await AuditStore.OpenAsync(Database.Sqlite(world.AuditDatabasePath));
        foreach (var carried in (await world.Tap.AllAsync()).Where(m => m.Exchange == Contracts.Topology.EventsExchange))
            await audit.AppendAsync(AuditRecordFactory.FromDelivery(carried.RoutingKey, Encoding.UTF8.GetBytes(carried.Body), null, DateTimeOffset.UtcNow));

        // an AsyncJobEvent names the job's instance (the VM) as its resource
        var jobEvents = await world.Admin.CallAsync("listEvents", ("type", "ASYNC.JOB"), ("resourceid", World.VmId(10)));
        Assert.Equal(3, ResponseValues.Count(jobEvents));
        Assert.All(jobEvents["event"]!.AsArray(), e => Assert.Equal("ASYNC.JOB", e!["type"]!.GetValue<string>()));

        var recipeEvents = await world.Admin.CallAsync("listEvents", ("type", "AGENT.RECIPE.RUN"), ("resourceid", World.VmId(10)));
        Assert.True(ResponseValues.Count(recipeEvents) >= 1, recipeEvents.ToString());

        var keys = (await world.Admin.CallAsync("registerUserKeys", ("account", "bob")))["userkeys"]!;
        var bob = world.Client(keys["apikey"]!.GetValue<string>(), keys["secretkey"]!.GetValue<string>());
        await ApiAssert.RefusedAsync(531, () => bob.CallAsync("listEvents"));
        await ApiAssert.RefusedAsync(531, () => bob.CallAsync("listEvents", ("resourceid", World.VmId(10))));
        // bob's own VM: answered, not refused (an empty list is {} as in CloudStack)
        await bob.CallAsync("listEvents", ("resourceid", World.VmId(11)));

        var badLevel = await ApiAssert.RefusedAsync(431, () => world.Admin.CallAsync("listEvents", ("level", "LOUD")));
        Assert.Contains("level", badLevel.ErrorText, StringComparison.Ordinal);
    }
}
