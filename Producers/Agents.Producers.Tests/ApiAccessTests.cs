using System.Net;
using System.Security.Cryptography;
using Agents.Contracts.Events;
using Agents.Producers.Client;
using Agents.Producers.Tests.Support;
using Agents.Security.Signing;
using Agents.Testing;

namespace Agents.Producers.Tests;

[Collection(WorldCollection.Name)]
public sealed class ApiAccessTests(World world)
{
    /// <summary>CloudStack's error shape: the code as HTTP status and errorcode, and an errortext, in <c>&lt;command&gt;response</c>.</summary>
    private static void AssertCloudStackError(RawAnswer answer, string command, int code)
    {
        Assert.True(answer.Status == code && answer.ErrorCode == code && !string.IsNullOrWhiteSpace(answer.ErrorText), answer.ToString());
        Assert.NotNull(answer.Body?[command.ToLowerInvariant() + "response"]);
    }

    private async Task AssertNotRegisteredAsync(string vmId)
    {
        var list = await world.Admin.CallAsync("listVirtualMachines", ("id", vmId));
        Assert.Equal(0, ResponseValues.Count(list));
    }

    private static (string Name, string Value)[] Signed(string apiKey, string secret, params (string Name, string Value)[] parameters)
    {
        var all = parameters.Prepend(("apiKey", apiKey)).ToList();
        return [.. all, ("signature", CloudStackSignature.Sign(all.Select(p => KeyValuePair.Create(p.Item1, p.Item2)), secret))];
    }

    private Task<RawAnswer> SendRawAsync(string query) => RawApi.GetAsync(world.Http, world.ApiEndpoint, query);

    [Fact]
    public async Task a_request_signed_by_the_independent_python_signer_is_accepted()
    {
        var python = await ProcessRunner.RunAsync("python3",
            ["cloudstack_signer.py", world.AdminSecretKey, "command=registerVirtualMachine", "response=json", $"apiKey={world.AdminApiKey}",
             "id=vm-python", $"routerid={World.RouterId}", "account=carol", "name=signed by python"]);
        Assert.True(python.ExitCode == 0, python.Output);

        var answer = await SendRawAsync(python.Stdout.Trim().Split('\t')[1]);

        Assert.True(answer.Status == 200, answer.ToString());
        Assert.Equal("carol", answer.Response!["virtualmachine"]!["account"]!.GetValue<string>());
    }

    [Fact]
    public async Task a_tampered_request_is_refused_and_changes_nothing()
    {
        var parameters = Signed(world.AdminApiKey, world.AdminSecretKey,
            ("command", "registerVirtualMachine"), ("response", "json"), ("id", "vm-tamper-a"), ("routerid", World.RouterId));
        var tampered = parameters.Select(p => p.Name == "id" ? (p.Name, "vm-tamper-b") : p);

        var answer = await SendRawAsync(RawApi.Query(tampered));

        AssertCloudStackError(answer, "registerVirtualMachine", 401);
        await AssertNotRegisteredAsync("vm-tamper-a");
        await AssertNotRegisteredAsync("vm-tamper-b");
    }

    [Fact]
    public async Task an_unsigned_request_is_refused_and_changes_nothing()
    {
        var answer = await SendRawAsync(RawApi.Query(
            [("command", "registerVirtualMachine"), ("response", "json"), ("apiKey", world.AdminApiKey), ("id", "vm-unsigned"), ("routerid", World.RouterId)]));

        AssertCloudStackError(answer, "registerVirtualMachine", 401);
        await AssertNotRegisteredAsync("vm-unsigned");
    }

    [Fact]
    public async Task an_expired_request_is_refused_and_changes_nothing_while_an_unexpired_one_is_accepted()
    {
        var past = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("yyyy-MM-dd'T'HH:mm:ss'+0000'", System.Globalization.CultureInfo.InvariantCulture);
        var expired = await ApiAssert.RefusedAsync(401, () => world.Admin.CallAsync("registerVirtualMachine",
            ("id", "vm-expired"), ("routerid", World.RouterId), ("signatureversion", "3"), ("expires", past)));
        Assert.Contains("expired", expired.ErrorText, StringComparison.Ordinal);
        await AssertNotRegisteredAsync("vm-expired");

        var future = DateTimeOffset.UtcNow.AddMinutes(5).ToString("yyyy-MM-dd'T'HH:mm:ss'+0000'", System.Globalization.CultureInfo.InvariantCulture);
        await world.Admin.CallAsync("registerVirtualMachine", ("id", "vm-fresh"), ("routerid", World.RouterId), ("signatureversion", "3"), ("expires", future));
    }

    [Fact]
    public async Task a_request_signed_with_the_wrong_key_is_refused_and_changes_nothing()
    {
        var wrong = world.Client(world.AdminApiKey, Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)));
        await ApiAssert.RefusedAsync(401, () => wrong.CallAsync("registerVirtualMachine", ("id", "vm-wrong-key"), ("routerid", World.RouterId)));

        var unknown = world.Client("no-such-api-key", world.AdminSecretKey);
        await ApiAssert.RefusedAsync(401, () => unknown.CallAsync("registerVirtualMachine", ("id", "vm-wrong-key"), ("routerid", World.RouterId)));

        await AssertNotRegisteredAsync("vm-wrong-key");
    }

    [Fact]
    public async Task an_unknown_command_and_a_missing_parameter_get_cloudstack_errors()
    {
        var unknown = await ApiAssert.RefusedAsync(432, () => world.Admin.CallAsync("deployVirtualMachine", ("zoneid", "4")));
        Assert.Equal("errorresponse", unknown.ResponseName); // CloudStack names no command it does not know

        var missing = await ApiAssert.RefusedAsync(431, () => world.Admin.CallAsync("registerVirtualMachine", ("id", "vm-no-router")));
        Assert.Contains("routerid", missing.ErrorText, StringComparison.Ordinal);
        await AssertNotRegisteredAsync("vm-no-router");
    }

    [Fact]
    public async Task a_user_key_cannot_act_on_another_accounts_vm_and_nothing_is_sent()
    {
        var keys = (await world.Admin.CallAsync("registerUserKeys", ("account", "alice")))["userkeys"]!;
        var alice = world.Client(keys["apikey"]!.GetValue<string>(), keys["secretkey"]!.GetValue<string>());
        var bobsVm = World.VmId(1);
        var jobsBefore = ResponseValues.Count(await world.Admin.CallAsync("listAsyncJobs"));

        await ApiAssert.RefusedAsync(531, () => alice.CallAsync("resetPasswordForVirtualMachine", ("id", bobsVm)));
        await ApiAssert.RefusedAsync(531, () => alice.CallAsync("runAgentRecipe", ("virtualmachineids", $"{World.VmId(0)},{bobsVm}"), ("name", World.Recipe)));
        await ApiAssert.RefusedAsync(531, () => alice.CallAsync("registerUserKeys", ("account", "alice"), ("roletype", "admin")));

        Assert.Equal(jobsBefore, ResponseValues.Count(await world.Admin.CallAsync("listAsyncJobs")));
        var own = await alice.CallAsync("listVirtualMachines");
        Assert.All(own["virtualmachine"]!.AsArray(), vm => Assert.Equal("alice", vm!["account"]!.GetValue<string>()));
        Assert.Equal(World.AgentCount / 2 + 2, ResponseValues.Count(own));
    }

    [Fact]
    public async Task a_user_sees_and_cancels_only_its_own_jobs()
    {
        var aliceKeys = (await world.Admin.CallAsync("registerUserKeys", ("account", "alice")))["userkeys"]!;
        var bobKeys = (await world.Admin.CallAsync("registerUserKeys", ("account", "bob")))["userkeys"]!;
        var alice = world.Client(aliceKeys["apikey"]!.GetValue<string>(), aliceKeys["secretkey"]!.GetValue<string>());
        var bob = world.Client(bobKeys["apikey"]!.GetValue<string>(), bobKeys["secretkey"]!.GetValue<string>());
        var started = await alice.CallAsync("runAgentRecipe", ("virtualmachineid", World.VmId(16)), ("name", World.Recipe),
            ("sha256", World.RecipeSha256), ("script", World.RecipeBase64));
        var jobId = started["jobid"]!.GetValue<string>();

        await ApiAssert.RefusedAsync(431, () => bob.CallAsync("queryAsyncJobResult", ("jobid", jobId)));
        await ApiAssert.RefusedAsync(431, () => bob.CallAsync("cancelAsyncJob", ("jobid", jobId)));
        Assert.DoesNotContain((await bob.CallAsync("listAsyncJobs"))["asyncjobs"]?.AsArray() ?? [], j => j!["jobid"]!.GetValue<string>() == jobId);

        var done = await alice.WaitForJobAsync(jobId);
        Assert.Equal(AsyncJobStatus.Succeeded, done.Status);
    }

    [Fact]
    public async Task a_signed_post_with_a_form_body_is_accepted()
    {
        (string, string)[] parameters = [("command", "listVirtualMachines"), ("response", "json"), ("apiKey", world.AdminApiKey), ("id", World.VmId(0))];
        var signature = CloudStackSignature.Sign(parameters.Select(p => KeyValuePair.Create(p.Item1, p.Item2)), world.AdminSecretKey);
        using var form = new FormUrlEncodedContent(parameters.Append(("signature", signature))
            .Select(p => new KeyValuePair<string, string>(p.Item1, p.Item2)));

        using var response = await world.Http.PostAsync("/client/api", form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(World.VmId(0), await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
