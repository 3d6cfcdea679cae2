using System.Diagnostics;
using System.Text.Json;
using Agents.Producers.Tests.Support;

namespace Agents.Producers.Tests;

/// <summary>
/// Issue 18: a subscriber written for CloudStack's RabbitMQ event bus (cloudstack_subscriber.py,
/// python3-pika, nothing of ours: only CloudStack's routing keys, field names and types) reads a
/// job's submit and complete events, an action event and a state change from our bus, and finds
/// no event of another shape meanwhile.
/// </summary>
[Collection(WorldCollection.Name)]
public sealed class CloudStackSubscriberTests(World world)
{
    [Fact]
    public async Task a_subscriber_that_knows_only_cloudstacks_event_shapes_reads_a_jobs_events_an_action_event_and_a_state_change()
    {
        var vmId = World.VmId(14);
        var info = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "cloudstack_subscriber.py"), world.Broker.AmqpUri("observer"), vmId, World.RouterId, "120" })
            info.ArgumentList.Add(arg);
        using var subscriber = Process.Start(info)!;
        Assert.Equal("ready", await subscriber.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)));

        var jobId = (await world.Admin.OkAsync("resetPasswordForVirtualMachine", ("id", vmId))).Value<string>("jobid")!;
        var done = await world.Admin.WaitForJobAsync(jobId);
        Assert.True(done.Value<int>("jobstatus") == 1, done.ToString());
        var password = done["jobresult"]!["virtualmachine"]!.Value<string>("password")!;
        // a state change of the router: each fresh health check is a ResourceStateEvent
        await world.Admin.OkAsync("getRouterHealthCheckResults", ("routerid", World.RouterId), ("performfreshchecks", "true"));

        var output = await subscriber.StandardOutput.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(150));
        await subscriber.WaitForExitAsync();
        Assert.True(subscriber.ExitCode == 0, $"exit {subscriber.ExitCode}\n{output}\n{await subscriber.StandardError.ReadToEndAsync()}");
        var seen = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        string Of(JsonElement e, string name) => e.GetProperty(name).GetString()!;

        var jobEvents = seen.Where(e => Of(e, "category") == "AsyncJobEvent").ToList();
        Assert.All(jobEvents, e => Assert.Equal((jobId, "resetPasswordForVirtualMachine", "VM.RESETPASSWORD", "VirtualMachine", vmId),
            (Of(e, "jobId"), Of(e, "command"), Of(e, "commandEventType"), Of(e, "instanceType"), Of(e, "instanceUuid"))));
        var submit = jobEvents.First(e => Of(e, "jobEvent") == "submit");
        var complete = jobEvents.Single(e => Of(e, "jobEvent") == "complete");
        Assert.Equal(("0", "0"), (Of(submit, "status"), Of(submit, "resultCode")));
        Assert.Equal(("1", "0"), (Of(complete, "status"), Of(complete, "resultCode")));
        Assert.Equal($"management-server.AsyncJobEvent.complete.VirtualMachine.{vmId}", Of(complete, "routingKey"));
        Assert.Equal(JsonValueKind.Object, complete.GetProperty("jobResult").ValueKind);

        var action = Assert.Single(seen, e => Of(e, "category") == "ActionEvent");
        Assert.Equal(("VM.RESETPASSWORD", "Completed", vmId), (Of(action, "event"), Of(action, "status"), Of(action, "entityuuid")));

        var state = seen.First(e => Of(e, "category") == "ResourceStateEvent");
        Assert.Equal(("DomainRouter", World.RouterId, "postStateTransitionEvent"), (Of(state, "resource"), Of(state, "id"), Of(state, "status")));
        Assert.Contains(Of(state, "new-state"), new[] { "Passed", "Failed" });

        // what a CloudStack subscriber sees of the job never holds the password (jobResult, cmdInfo included)
        Assert.DoesNotContain(password, output, StringComparison.Ordinal);
    }
}
