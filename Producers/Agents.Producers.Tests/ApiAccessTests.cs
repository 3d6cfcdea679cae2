using System.Net;
using System.Security.Cryptography;
using Agents.Producers.Tests.Support;
using Agents.Testing;

namespace Agents.Producers.Tests;

[Collection(WorldCollection.Name)]
public sealed class ApiAccessTests(World world)
{
    private static void AssertCloudStackError(HttpStatusCode status, Newtonsoft.Json.Linq.JObject body, string command, int code)
    {
        Assert.Equal(code, (int)status);
        var response = body[command.ToLowerInvariant() + "response"];
        Assert.NotNull(response);
        Assert.Equal(code, response.Value<int>("errorcode"));
        Assert.False(string.IsNullOrWhiteSpace(response.Value<string>("errortext")));
    }

    private async Task AssertNotRegisteredAsync(string vmId)
    {
        var list = await world.Admin.OkAsync("listVirtualMachines", ("id", vmId));
        Assert.Equal(0, list.Value<int>("count"));
    }

    private static (string Name, string Value)[] Signed(string apiKey, string secret, params (string, string)[] parameters)
    {
        var all = parameters.Prepend(("apiKey", apiKey)).ToList();
        return [.. all, ("signature", ApiClient.Sign(all, secret))];
    }

    [Fact]
    public async Task a_request_signed_by_the_independent_python_signer_is_accepted()
    {
        var python = await ProcessRunner.RunAsync("python3",
            ["cloudstack_signer.py", world.AdminSecretKey, "command=registerVirtualMachine", "response=json", $"apiKey={world.AdminApiKey}",
             "id=vm-python", $"routerid={World.RouterId}", "account=carol", "name=signed by python"]);
        Assert.True(python.ExitCode == 0, python.Output);

        var (status, body) = await world.Admin.SendRawAsync(python.Stdout.Trim().Split('\t')[1]);

        Assert.True(status == HttpStatusCode.OK, body.ToString());
        Assert.Equal("carol", body["registervirtualmachineresponse"]!["virtualmachine"]!.Value<string>("account"));
    }

    [Fact]
    public async Task a_tampered_request_is_refused_and_changes_nothing()
    {
        var parameters = Signed(world.AdminApiKey, world.AdminSecretKey,
            ("command", "registerVirtualMachine"), ("response", "json"), ("id", "vm-tamper-a"), ("routerid", World.RouterId));
        var tampered = parameters.Select(p => p.Name == "id" ? (p.Name, "vm-tamper-b") : p);

        var (status, body) = await world.Admin.SendRawAsync(ApiClient.Query(tampered));

        AssertCloudStackError(status, body, "registerVirtualMachine", 401);
        await AssertNotRegisteredAsync("vm-tamper-a");
        await AssertNotRegisteredAsync("vm-tamper-b");
    }

    [Fact]
    public async Task an_unsigned_request_is_refused_and_changes_nothing()
    {
        var (status, body) = await world.Admin.SendRawAsync(ApiClient.Query(
            [("command", "registerVirtualMachine"), ("response", "json"), ("apiKey", world.AdminApiKey), ("id", "vm-unsigned"), ("routerid", World.RouterId)]));

        AssertCloudStackError(status, body, "registerVirtualMachine", 401);
        await AssertNotRegisteredAsync("vm-unsigned");
    }

    [Fact]
    public async Task an_expired_request_is_refused_and_changes_nothing_while_an_unexpired_one_is_accepted()
    {
        var past = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("yyyy-MM-dd'T'HH:mm:ss'+0000'", System.Globalization.CultureInfo.InvariantCulture);
        var (status, body) = await world.Admin.CallAsync("registerVirtualMachine",
            ("id", "vm-expired"), ("routerid", World.RouterId), ("signatureversion", "3"), ("expires", past));
        AssertCloudStackError(status, body, "registerVirtualMachine", 401);
        Assert.Contains("expired", body["registervirtualmachineresponse"]!.Value<string>("errortext"), StringComparison.Ordinal);
        await AssertNotRegisteredAsync("vm-expired");

        var future = DateTimeOffset.UtcNow.AddMinutes(5).ToString("yyyy-MM-dd'T'HH:mm:ss'+0000'", System.Globalization.CultureInfo.InvariantCulture);
        await world.Admin.OkAsync("registerVirtualMachine", ("id", "vm-fresh"), ("routerid", World.RouterId), ("signatureversion", "3"), ("expires", future));
    }

    [Fact]
    public async Task a_request_signed_with_the_wrong_key_is_refused_and_changes_nothing()
    {
        var wrong = world.Client(world.AdminApiKey, Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)));
        var (status, body) = await wrong.CallAsync("registerVirtualMachine", ("id", "vm-wrong-key"), ("routerid", World.RouterId));
        AssertCloudStackError(status, body, "registerVirtualMachine", 401);

        var unknown = world.Client("no-such-api-key", world.AdminSecretKey);
        (status, body) = await unknown.CallAsync("registerVirtualMachine", ("id", "vm-wrong-key"), ("routerid", World.RouterId));
        AssertCloudStackError(status, body, "registerVirtualMachine", 401);

        await AssertNotRegisteredAsync("vm-wrong-key");
    }

    [Fact]
    public async Task an_unknown_command_and_a_missing_parameter_get_cloudstack_errors()
    {
        var (status, body) = await world.Admin.CallAsync("deployVirtualMachine", ("zoneid", "4"));
        Assert.Equal(432, (int)status);
        Assert.Equal(432, body["errorresponse"]!.Value<int>("errorcode")); // CloudStack names no command it does not know

        (status, body) = await world.Admin.CallAsync("registerVirtualMachine", ("id", "vm-no-router"));
        AssertCloudStackError(status, body, "registerVirtualMachine", 431);
        Assert.Contains("routerid", body["registervirtualmachineresponse"]!.Value<string>("errortext"), StringComparison.Ordinal);
        await AssertNotRegisteredAsync("vm-no-router");
    }

    [Fact]
    public async Task a_user_key_cannot_act_on_another_accounts_vm_and_nothing_is_sent()
    {
        var keys = (await world.Admin.OkAsync("registerUserKeys", ("account", "alice")))["userkeys"]!;
        var alice = world.Client(keys.Value<string>("apikey")!, keys.Value<string>("secretkey")!);
        var bobsVm = World.VmId(1);
        var jobsBefore = (await world.Admin.OkAsync("listAsyncJobs")).Value<int>("count");

        var (status, body) = await alice.CallAsync("resetPasswordForVirtualMachine", ("id", bobsVm));
        AssertCloudStackError(status, body, "resetPasswordForVirtualMachine", 531);
        (status, body) = await alice.CallAsync("runAgentRecipe", ("virtualmachineids", $"{World.VmId(0)},{bobsVm}"), ("name", World.Recipe));
        AssertCloudStackError(status, body, "runAgentRecipe", 531);
        (status, body) = await alice.CallAsync("registerUserKeys", ("account", "alice"), ("roletype", "admin"));
        AssertCloudStackError(status, body, "registerUserKeys", 531);

        Assert.Equal(jobsBefore, (await world.Admin.OkAsync("listAsyncJobs")).Value<int>("count"));
        var own = await alice.OkAsync("listVirtualMachines");
        Assert.All(own["virtualmachine"]!, vm => Assert.Equal("alice", vm.Value<string>("account")));
        Assert.Equal(World.AgentCount / 2 + 2, own.Value<int>("count"));
    }

    [Fact]
    public async Task a_user_sees_and_cancels_only_its_own_jobs()
    {
        var aliceKeys = (await world.Admin.OkAsync("registerUserKeys", ("account", "alice")))["userkeys"]!;
        var bobKeys = (await world.Admin.OkAsync("registerUserKeys", ("account", "bob")))["userkeys"]!;
        var alice = world.Client(aliceKeys.Value<string>("apikey")!, aliceKeys.Value<string>("secretkey")!);
        var bob = world.Client(bobKeys.Value<string>("apikey")!, bobKeys.Value<string>("secretkey")!);
        var started = await alice.OkAsync("runAgentRecipe", ("virtualmachineid", World.VmId(16)), ("name", World.Recipe),
            ("sha256", World.RecipeSha256), ("script", World.RecipeBase64));
        var jobId = started.Value<string>("jobid")!;

        var (status, _) = await bob.CallAsync("queryAsyncJobResult", ("jobid", jobId));
        Assert.Equal(431, (int)status);
        (status, _) = await bob.CallAsync("cancelAsyncJob", ("jobid", jobId));
        Assert.Equal(431, (int)status);
        Assert.DoesNotContain((await bob.OkAsync("listAsyncJobs"))["asyncjobs"] ?? new Newtonsoft.Json.Linq.JArray(), j => j.Value<string>("jobid") == jobId);

        var done = await alice.WaitForJobAsync(jobId);
        Assert.Equal(1, done.Value<int>("jobstatus"));
    }

    [Fact]
    public async Task a_signed_post_with_a_form_body_is_accepted()
    {
        (string, string)[] parameters = [("command", "listVirtualMachines"), ("response", "json"), ("apiKey", world.AdminApiKey), ("id", World.VmId(0))];
        using var form = new FormUrlEncodedContent(parameters.Append(("signature", ApiClient.Sign(parameters, world.AdminSecretKey)))
            .Select(p => new KeyValuePair<string, string>(p.Item1, p.Item2)));

        using var response = await world.Http.PostAsync("/client/api", form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(World.VmId(0), await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
