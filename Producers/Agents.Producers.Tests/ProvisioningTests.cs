using System.Text;
using Agents.Contracts;
using Agents.Contracts.Events;
using Agents.Producers.Tests.Support;
using Agents.VmAgent.Core.Crypto;
using Newtonsoft.Json.Linq;
using RabbitMQ.Client;

namespace Agents.Producers.Tests;

[Collection(WorldCollection.Name)]
public sealed class ProvisioningTests(World world)
{
    private async Task<ApiClient> UserAsync(string account)
    {
        var keys = (await world.Admin.OkAsync("registerUserKeys", ("account", account)))["userkeys"]!;
        return world.Client(keys.Value<string>("apikey")!, keys.Value<string>("secretkey")!);
    }

    [Fact]
    public async Task a_password_reset_returns_the_password_the_agent_applied_once_and_it_never_reaches_a_log_or_the_broker()
    {
        var alice = await UserAsync("alice");
        var vmId = World.VmId(2);

        var started = await alice.OkAsync("resetPasswordForVirtualMachine", ("id", vmId));
        var jobId = started.Value<string>("jobid")!;
        var done = await alice.WaitForJobAsync(jobId);

        Assert.True(done.Value<int>("jobstatus") == 1, done.ToString());
        var password = done["jobresult"]!["virtualmachine"]!.Value<string>("password");
        Assert.False(string.IsNullOrEmpty(password), done.ToString());
        Assert.True(password.Length >= 20);
        var hash = world.AgentOf(vmId).Sandbox.ShadowHash("root");
        Assert.NotNull(hash);
        Assert.True(Sha512Crypt.Verify(password, hash), "the shadow hash in the VM's sandbox does not verify the job's password");

        var again = await alice.OkAsync("queryAsyncJobResult", ("jobid", jobId));
        Assert.Equal(1, again.Value<int>("jobstatus"));
        Assert.Null(again["jobresult"]!["virtualmachine"]!["password"]);

        var carried = await world.Tap.AllAsync();
        Assert.Contains(carried, m => m.Exchange == Topology.CommandsExchange && m.CorrelationId == jobId && m.Type == "ResetVmPassword");
        Assert.DoesNotContain(carried, m => m.Body.Contains(password, StringComparison.Ordinal));
        await Task.Delay(500); // let the last log lines reach the files
        var logs = world.AllLogs();
        Assert.Contains(jobId, logs, StringComparison.Ordinal); // the logs were read, and they do name the job
        Assert.True(Directory.EnumerateFiles(world.LogDirectory, "*.log.json").Count() >= 2, "the API and the bridge write JSON logs");
        Assert.DoesNotContain(password, logs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task every_state_change_of_a_job_is_published_as_an_async_job_event()
    {
        var started = await world.Admin.OkAsync("runAgentRecipe", ("virtualmachineid", World.VmId(4)), ("name", World.Recipe),
            ("sha256", World.RecipeSha256), ("script", World.RecipeBase64));
        var jobId = started.Value<string>("jobid")!;
        await world.Admin.WaitForJobAsync(jobId);

        var events = (await world.Tap.AllAsync())
            .Where(m => m.RoutingKey.Contains(".AsyncJobEvent.", StringComparison.Ordinal) && m.CorrelationId == jobId)
            .Select(m => AsyncJobChanged.FromEvent(CloudStackEvent.Read(m.RoutingKey, Encoding.UTF8.GetBytes(m.Body)))).ToList();
        Assert.Equal([AsyncJobChanged.Submit, AsyncJobChanged.Update, AsyncJobChanged.Complete], events.Select(e => e.JobEvent));
        Assert.Equal(["Queued", "InProgress", "Succeeded"], events.Select(e => e.Stage));
        Assert.Equal(AsyncJobStatus.Succeeded, events[^1].Status);
        Assert.All(events, e => Assert.Equal(("runAgentRecipe", EventTypes.AgentRecipeRun, ResourceTypes.VirtualMachine, World.VmId(4)),
            (e.Command, e.CommandEventType, e.InstanceType, e.InstanceUuid)));
    }

    [Fact]
    public async Task an_ssh_key_reset_puts_the_registered_key_into_the_users_authorized_keys()
    {
        var bob = await UserAsync("bob");
        var key = "ssh-ed25519 " + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(51)) + " bob@example.org";
        var pair = await bob.OkAsync("registerSSHKeyPair", ("name", "bobs-key"), ("publickey", key));
        Assert.Equal("bob", pair["keypair"]!.Value<string>("account"));
        var vmId = World.VmId(3);

        var started = await bob.OkAsync("resetSSHKeyForVirtualMachine", ("id", vmId), ("keypair", "bobs-key"), ("username", "bob"));
        var done = await bob.WaitForJobAsync(started.Value<string>("jobid")!);

        Assert.True(done.Value<int>("jobstatus") == 1, done.ToString());
        var authorized = await File.ReadAllTextAsync(world.AgentOf(vmId).Sandbox.AuthorizedKeysPath("bob"));
        Assert.Contains(key, authorized, StringComparison.Ordinal);
        Assert.Equal(1, (await bob.OkAsync("listSSHKeyPairs", ("name", "bobs-key"))).Value<int>("count"));
        await bob.OkAsync("deleteSSHKeyPair", ("name", "bobs-key"));
        Assert.Equal(0, (await bob.OkAsync("listSSHKeyPairs", ("name", "bobs-key"))).Value<int>("count"));
    }

    [Fact]
    public async Task a_recipe_runs_on_the_agent_and_its_output_is_in_the_job_result()
    {
        var started = await world.Admin.OkAsync("runAgentRecipe", ("virtualmachineid", World.VmId(6)), ("name", World.Recipe),
            ("sha256", World.RecipeSha256), ("script", World.RecipeBase64), ("parameters[0].key", "WHO"), ("parameters[0].value", "producers"));
        var done = await world.Admin.WaitForJobAsync(started.Value<string>("jobid")!);

        Assert.True(done.Value<int>("jobstatus") == 1, done.ToString());
        var target = done["jobresult"]!["agentjob"]!["targets"]![0]!;
        Assert.Equal("Success", target.Value<string>("status"));
        Assert.Equal(0, target.Value<int>("exitcode"));
        Assert.Equal("hello producers", target.Value<string>("stdout")!.Trim());
    }

    [Fact]
    public async Task a_vm_without_an_agent_is_retried_then_its_job_fails_and_an_alert_points_to_the_agent_iso()
    {
        var started = await world.Admin.OkAsync("runAgentRecipe", ("virtualmachineid", World.GhostVm), ("name", World.Recipe),
            ("sha256", World.RecipeSha256), ("script", World.RecipeBase64));
        var jobId = started.Value<string>("jobid")!;
        var done = await world.Admin.WaitForJobAsync(jobId);

        Assert.Equal(2, done.Value<int>("jobstatus"));
        var error = done["jobresult"]!.Value<string>("errortext")!;
        Assert.Contains("DeliveryTimedOut", error, StringComparison.Ordinal);
        Assert.Contains("seems to have no agent", error, StringComparison.Ordinal);
        Assert.Contains("ISO", error, StringComparison.Ordinal);
        Assert.Equal(3, done["jobresult"]!["agentjob"]!["targets"]![0]!.Value<int>("attempt"));

        var carried = await world.Tap.AllAsync();
        var attempts = carried.Where(m => m.Exchange == Topology.CommandsExchange && m.CorrelationId == jobId).Select(m => JObject.Parse(m.Body)).ToList();
        Assert.Equal([1, 2, 3], attempts.Select(a => a.Value<int>("attempt")));
        Assert.Single(attempts.Select(a => a.Value<string>("commandId")).Distinct());
        Assert.Equal(3, attempts.Select(a => a.Value<string>("messageId")).Distinct().Count());
        var alert = carried.Where(m => m.RoutingKey.Contains(".AlertEvent.ALERT-AGENT-UNREACHABLE.", StringComparison.Ordinal)
            && m.RoutingKey.EndsWith(World.GhostVm, StringComparison.Ordinal)).Select(m => JObject.Parse(m.Body)).Single();
        Assert.Contains("seems to have no agent", alert.Value<string>("subject"), StringComparison.Ordinal);
        Assert.Contains("ISO", alert.Value<string>("body"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_command_for_a_router_no_bridge_serves_is_retried_then_fails_instead_of_waiting_forever()
    {
        var alice = await UserAsync("alice");
        var started = await alice.OkAsync("resetSSHKeyForVirtualMachine", ("id", World.StrayVm), ("keypair", await AliceKeyAsync(alice)));
        var done = await alice.WaitForJobAsync(started.Value<string>("jobid")!);

        Assert.Equal(2, done.Value<int>("jobstatus"));
        var error = done["jobresult"]!.Value<string>("errortext")!;
        Assert.Contains("no bridge serves router " + World.UnservedRouter, error, StringComparison.Ordinal);
        Assert.Contains("after 3 attempt(s)", error, StringComparison.Ordinal);
    }

    private static async Task<string> AliceKeyAsync(ApiClient alice)
    {
        var name = "alice-" + Guid.NewGuid().ToString("N")[..8];
        await alice.OkAsync("registerSSHKeyPair", ("name", name),
            ("publickey", "ssh-ed25519 " + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(51)) + " alice@example.org"));
        return name;
    }

    [Fact]
    public async Task an_outcome_delivered_twice_changes_nothing()
    {
        var started = await world.Admin.OkAsync("runAgentRecipe", ("virtualmachineid", World.VmId(8)), ("name", World.Recipe),
            ("sha256", World.RecipeSha256), ("script", World.RecipeBase64));
        var jobId = started.Value<string>("jobid")!;
        var first = await world.Admin.WaitForJobAsync(jobId);
        var outcome = (await world.Tap.AllAsync()).Single(m => m.Exchange == Topology.EventsExchange && m.CorrelationId == jobId
            && m.RoutingKey.Contains(".ActionEvent.", StringComparison.Ordinal));

        // the same outcome again, and a forged failure of the same command: both are ignored
        var forged = JObject.Parse(outcome.Body);
        forged["outcome"] = "Failed";
        forged["messageId"] = Guid.NewGuid().ToString();
        await using (var connection = await world.Broker.ConnectAsync())
        await using (var channel = await connection.CreateChannelAsync())
        {
            foreach (var body in new[] { outcome.Body, forged.ToString() })
                await channel.BasicPublishAsync(Topology.EventsExchange, outcome.RoutingKey, Encoding.UTF8.GetBytes(body));
        }
        await Task.Delay(1500);

        var after = await world.Admin.OkAsync("queryAsyncJobResult", ("jobid", jobId));
        Assert.Equal(1, after.Value<int>("jobstatus"));
        Assert.Equal(first["jobresult"]!.ToString(), after["jobresult"]!.ToString());
        Assert.Contains("ignored", world.Api.Output, StringComparison.Ordinal);
    }
}
