using Agents.Producers.Tests.Support;
using Newtonsoft.Json.Linq;

namespace Agents.Producers.Tests;

[Collection(WorldCollection.Name)]
public sealed class RouterAndCaCommandTests(World world)
{
    [Fact]
    public async Task ca_commands_are_relayed_to_the_ca_and_router_tokens_are_for_admins_only()
    {
        var keys = (await world.Admin.OkAsync("registerUserKeys", ("account", "alice")))["userkeys"]!;
        var alice = world.Client(keys.Value<string>("apikey")!, keys.Value<string>("secretkey")!);

        var token = (await alice.OkAsync("createAgentEnrollmentToken", ("virtualmachineid", World.VmId(12))))["enrollmenttoken"]!;
        Assert.Equal($"urn:cloudstack:vm:{World.VmId(12)}", token.Value<string>("holder"));
        Assert.False(string.IsNullOrEmpty(token.Value<string>("token")));
        var (status, _) = await alice.CallAsync("createAgentEnrollmentToken", ("routerid", World.RouterId));
        Assert.Equal(531, (int)status);
        (status, _) = await alice.CallAsync("createAgentEnrollmentToken", ("virtualmachineid", World.VmId(13)));
        Assert.Equal(531, (int)status);
        var routerToken = (await world.Admin.OkAsync("createAgentEnrollmentToken", ("routerid", World.RouterId)))["enrollmenttoken"]!;
        Assert.Equal($"urn:cloudstack:router:{World.RouterId}", routerToken.Value<string>("holder"));

        var ca = (await alice.OkAsync("listCaCertificate"))["cacertificates"]!;
        Assert.Equal(world.Ca.RootPem, ca.Value<string>("certificate"));
        var providers = await world.Admin.OkAsync("listCAProviders");
        Assert.Equal(1, providers.Value<int>("count"));
        // admin only, as CloudStack authorizes it
        Assert.Equal(432, (int)(await alice.CallAsync("listCAProviders")).Status);
    }

    [Fact]
    public async Task fresh_router_health_checks_run_on_the_router_and_are_kept_for_later_reads()
    {
        var fresh = (await world.Admin.OkAsync("getRouterHealthCheckResults", ("routerid", World.RouterId), ("performfreshchecks", "true")))["routerhealthchecks"]!;
        var checks = fresh["healthchecks"]!.Cast<JObject>().ToList();
        Assert.NotEmpty(checks);
        Assert.All(checks, c => Assert.False(string.IsNullOrEmpty(c.Value<string>("checkname"))));

        var deadline = DateTime.UtcNow.AddSeconds(15);
        JToken stored;
        do
        {
            stored = (await world.Admin.OkAsync("getRouterHealthCheckResults", ("routerid", World.RouterId)))["routerhealthchecks"]!["healthchecks"]!;
            if (stored.Count() >= checks.Count) break;
            await Task.Delay(200);
        } while (DateTime.UtcNow < deadline);
        Assert.Equal(checks.Select(c => c.Value<string>("checkname")).Order(), stored.Select(c => c.Value<string>("checkname")).Order());
    }

    [Fact]
    public async Task patch_system_vm_runs_on_the_router_itself_under_the_routers_own_policy()
    {
        var started = await world.Admin.OkAsync("patchSystemVm", ("id", World.RouterId), ("recipe", World.Recipe),
            ("sha256", World.RecipeSha256), ("script", World.RecipeBase64));
        var done = await world.Admin.WaitForJobAsync(started.Value<string>("jobid")!);

        Assert.Equal(2, done.Value<int>("jobstatus"));
        var target = done["jobresult"]!["agentjob"]!["targets"]![0]!;
        Assert.Equal(World.RouterId, target.Value<string>("routerid"));
        Assert.Null(target["virtualmachineid"]);
        Assert.Equal("Rejected", target.Value<string>("status"));
        Assert.Contains("policy", target.Value<string>("message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task provision_certificate_makes_the_agent_rekey_through_its_bridge()
    {
        var vmId = World.VmId(14);
        var before = world.AgentOf(vmId).Client.CurrentCertificate!.SerialNumber;

        var started = await world.Admin.OkAsync("provisionCertificate", ("virtualmachineid", vmId), ("reconnect", "false"));
        var done = await world.Admin.WaitForJobAsync(started.Value<string>("jobid")!);

        Assert.True(done.Value<int>("jobstatus") == 1, done.ToString());
        Assert.NotEqual(before, world.AgentOf(vmId).Client.CurrentCertificate!.SerialNumber);
    }
}
