using System.Text.Json.Nodes;
using Agents.Contracts.Events;
using Agents.Producers.Client;
using Agents.Producers.Tests.Support;

namespace Agents.Producers.Tests;

[Collection(WorldCollection.Name)]
public sealed class RouterAndCaCommandTests(World world)
{
    [Fact]
    public async Task ca_commands_are_relayed_to_the_ca_and_router_tokens_are_for_admins_only()
    {
        var keys = (await world.Admin.CallAsync("registerUserKeys", ("account", "alice")))["userkeys"]!;
        var alice = world.Client(keys["apikey"]!.GetValue<string>(), keys["secretkey"]!.GetValue<string>());

        var token = (await alice.CallAsync("createAgentEnrollmentToken", ("virtualmachineid", World.VmId(12))))["enrollmenttoken"]!;
        Assert.Equal($"urn:cloudstack:vm:{World.VmId(12)}", token["holder"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(token["token"]!.GetValue<string>()));
        await ApiAssert.RefusedAsync(531, () => alice.CallAsync("createAgentEnrollmentToken", ("routerid", World.RouterId)));
        await ApiAssert.RefusedAsync(531, () => alice.CallAsync("createAgentEnrollmentToken", ("virtualmachineid", World.VmId(13))));
        var routerToken = (await world.Admin.CallAsync("createAgentEnrollmentToken", ("routerid", World.RouterId)))["enrollmenttoken"]!;
        Assert.Equal($"urn:cloudstack:router:{World.RouterId}", routerToken["holder"]!.GetValue<string>());

        var ca = (await alice.CallAsync("listCaCertificate"))["cacertificates"]!;
        Assert.Equal(world.Ca.RootPem, ca["certificate"]!.GetValue<string>());
        var providers = await world.Admin.CallAsync("listCAProviders");
        Assert.Equal(1, ResponseValues.Count(providers));
        // admin only, as CloudStack authorizes it
        await ApiAssert.RefusedAsync(432, () => alice.CallAsync("listCAProviders"));
    }

    [Fact]
    public async Task fresh_router_health_checks_run_on_the_router_and_are_kept_for_later_reads()
    {
        var fresh = (await world.Admin.CallAsync("getRouterHealthCheckResults", ("routerid", World.RouterId), ("performfreshchecks", "true")))["routerhealthchecks"]!;
        var checks = fresh["healthchecks"]!.AsArray().Cast<JsonObject>().ToList();
        Assert.NotEmpty(checks);
        Assert.All(checks, c => Assert.False(string.IsNullOrEmpty(c["checkname"]!.GetValue<string>())));

        var deadline = DateTime.UtcNow.AddSeconds(15);
        JsonArray stored;
        do
        {
            stored = (await world.Admin.CallAsync("getRouterHealthCheckResults", ("routerid", World.RouterId)))["routerhealthchecks"]!["healthchecks"]!.AsArray();
            if (stored.Count >= checks.Count) break;
            await Task.Delay(200);
        } while (DateTime.UtcNow < deadline);
        Assert.Equal(checks.Select(c => c["checkname"]!.GetValue<string>()).Order(), stored.Select(c => c!["checkname"]!.GetValue<string>()).Order());
    }

    [Fact]
    public async Task patch_system_vm_runs_on_the_router_itself_under_the_routers_own_policy()
    {
        var started = await world.Admin.CallAsync("patchSystemVm", ("id", World.RouterId), ("recipe", World.Recipe),
            ("sha256", World.RecipeSha256), ("script", World.RecipeBase64));
        var done = await world.Admin.WaitForJobAsync(started["jobid"]!.GetValue<string>());

        Assert.Equal(AsyncJobStatus.Failed, done.Status);
        var target = done.Result!["agentjob"]!["targets"]![0]!;
        Assert.Equal(World.RouterId, target["routerid"]!.GetValue<string>());
        Assert.Null(target["virtualmachineid"]);
        Assert.Equal("Rejected", target["status"]!.GetValue<string>());
        Assert.Contains("policy", target["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task provision_certificate_makes_the_agent_rekey_through_its_bridge()
    {
        var vmId = World.VmId(14);
        var before = world.AgentOf(vmId).Client.CurrentCertificate!.SerialNumber;

        var started = await world.Admin.CallAsync("provisionCertificate", ("virtualmachineid", vmId), ("reconnect", "false"));
        var done = await world.Admin.WaitForJobAsync(started["jobid"]!.GetValue<string>());

        Assert.True(done.Status == AsyncJobStatus.Succeeded, done.ToString());
        Assert.NotEqual(before, world.AgentOf(vmId).Client.CurrentCertificate!.SerialNumber);
    }
}
